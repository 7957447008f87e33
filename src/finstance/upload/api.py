"""Upload's routes: the server-side upload API and FraudAnalysis.

The upload API is Flinks' (``POST /api/v1/token`` with client credentials, then the files with the Bearer
token) under the instance's own path, ``/v3/{customerId}/upload/api/v1``: an API client of the instance
(``finstance clients create --product upload``) gets a short-lived token, sends statements as
``multipart/form-data`` and reads the upload's state. FraudAnalysis takes the instance's secret key as
``Authorization: Bearer {secret}``, as Flinks documents it.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Header, Path, Request
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException
from starlette.responses import Response

from finstance.core import clients, errors
from finstance.core.context import InstanceContext
from finstance.core.http.deps import Ctx, require_secret
from finstance.core.http.responses import COMMON, NOT_FOUND, PENDING, json_response
from finstance.upload import uploads, wire
from finstance.upload.documents import MAX_FILES
from finstance.upload.tables import UploadStatus

PRODUCT = "upload"
TOKEN_LIFETIME = timedelta(minutes=10)  # Flinks: "short-lived"
LANGUAGES = ("en", "fr")

Authorization = Annotated[
    str | None, Header(alias="Authorization", description="Basic or Bearer credentials")
]
LoginIdPath = Annotated[str, Path(alias="loginId", max_length=100)]
UploadIdPath = Annotated[str, Path(alias="uploadId", max_length=100)]

router = APIRouter(prefix="/v3/{customerId}/upload", tags=["Upload"])

TOKEN_BODY: dict[str, Any] = {
    "requestBody": {
        "required": False,
        "content": {
            "application/x-www-form-urlencoded": {
                "schema": {
                    "type": "object",
                    "properties": {
                        "grant_type": {"type": "string", "enum": ["client_credentials"]},
                        "client_id": {"type": "string"},
                        "client_secret": {"type": "string"},
                    },
                }
            }
        },
    }
}
FILES_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "properties": {
                        "files": {"type": "array", "items": {"type": "string", "format": "binary"}},
                        "language": {"type": "string", "enum": list(LANGUAGES)},
                    },
                    "required": ["files"],
                }
            }
        },
    }
}


@router.post(
    "/api/v1/token",
    summary="A Bearer token for an API client of Upload (client credentials)",
    openapi_extra=TOKEN_BODY,
    responses=COMMON,
)
async def token(request: Request, ctx: Ctx, authorization: Authorization = None) -> Response:
    body = await request.body()
    issued = await run_in_threadpool(clients.token_request, ctx, PRODUCT, authorization, body, TOKEN_LIFETIME)
    return json_response(issued.body(), headers={"Cache-Control": "no-store"})


async def _files(request: Request) -> tuple[list[uploads.File], str]:
    content_type = request.headers.get("content-type", "")
    if not content_type.lower().startswith("multipart/form-data"):
        raise errors.UnsupportedMediaType("Send the files as multipart/form-data.")
    try:
        form = await request.form(max_files=MAX_FILES + 1, max_fields=20)
    except HTTPException as exc:
        raise errors.InvalidRequest(f"The multipart body cannot be read: {exc.detail}") from None
    try:
        files = []
        for name, value in form.multi_items():
            if isinstance(value, UploadFile):
                files.append(uploads.File(value.filename or name, await value.read()))
        language = form.get("language")
    finally:
        await form.close()
    if len(files) > MAX_FILES:
        raise errors.InvalidRequest(f"An upload takes at most {MAX_FILES} files.")
    lang = language if isinstance(language, str) and language.lower() in LANGUAGES else "en"
    return files, lang.lower()


def _client(ctx: InstanceContext, authorization: str | None) -> str:
    return clients.authenticate(ctx, PRODUCT, authorization).client_id


@router.post(
    "/api/v1/uploads",
    summary="Upload an end-user's statements: one loginId, each file read in the background",
    status_code=202,
    response_model=wire.UploadState,
    openapi_extra=FILES_BODY,
    responses=COMMON,
)
async def create_upload(request: Request, ctx: Ctx, authorization: Authorization = None) -> Response:
    client_id = await run_in_threadpool(_client, ctx, authorization)
    files, language = await _files(request)
    state = await run_in_threadpool(
        lambda: uploads.create(ctx, files, source="api", language=language, client_id=client_id)
    )
    body = state.model_dump(mode="json", by_alias=True)
    body["HttpStatusCode"] = 202
    return json_response(body, 202)


@router.get(
    "/api/v1/uploads/{uploadId}",
    summary="An upload's state and each document's outcome (read here and now when no worker has begun)",
    response_model=wire.UploadState,
    responses={**COMMON, **NOT_FOUND},
)
def upload_state(ctx: Ctx, upload_id: UploadIdPath, authorization: Authorization = None) -> Response:
    client_id = _client(ctx, authorization)
    state = uploads.state(ctx, upload_id, client_id=client_id)
    if state.status == UploadStatus.PENDING.value:
        uploads.advance(ctx, state.upload_id)
        state = uploads.state(ctx, upload_id, client_id=client_id)
    return json_response(state.model_dump(mode="json", by_alias=True))


def _fraud(ctx: InstanceContext, login_id: str, authorization: str | None) -> Response:
    require_secret(ctx, authorization)
    return json_response(uploads.fraud_analysis(ctx, login_id).model_dump(mode="json", by_alias=True))


@router.get(
    "/fraudanalysis/{loginId}",
    summary="FraudAnalysis: the fraud signals of a login's uploaded documents and each one's verdict",
    response_model=wire.FraudAnalysisResponse,
    responses={**PENDING, **COMMON},
)
def fraud_analysis(ctx: Ctx, login_id: LoginIdPath, authorization: Authorization = None) -> Response:
    return _fraud(ctx, login_id, authorization)


@router.get("/FraudAnalysis/{loginId}", include_in_schema=False)
def fraud_analysis_capitalised(
    ctx: Ctx, login_id: LoginIdPath, authorization: Authorization = None
) -> Response:
    return _fraud(ctx, login_id, authorization)
