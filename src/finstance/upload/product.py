"""Upload's declaration: statements in through the upload API (and Connect's upload pages), Connect-format
data out under a loginId, and FraudAnalysis, on every instance."""

from __future__ import annotations

from finstance.core.country import Country
from finstance.core.product import Product
from finstance.upload import api, tables
from finstance.upload.forget import forget
from finstance.upload.processing import FRAUD_ALERT, process
from finstance.upload.uploads import PROCESS
from finstance.upload.web import routes as pages

PRODUCT = Product(
    name="upload",
    title="Upload",
    countries=frozenset(Country),
    paths=("/v3/{customerId}/upload",),
    routers=(api.router, pages.router),
    file_paths=("upload/api/v1/uploads", "/v2/upload/"),
    jobs={PROCESS: process},
    events=(FRAUD_ALERT,),
    forget=forget,
    minted=(
        (tables.Upload, "id"),
        (tables.Upload, "login_id"),
        (tables.Upload, "job_id"),
        (tables.UploadDocument, "id"),
        (tables.UploadDocument, "upload_id"),
        (tables.UploadDocument, "login_id"),
    ),
)
