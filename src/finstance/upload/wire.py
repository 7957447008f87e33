"""Upload's wire documents: an upload's state and the FraudAnalysis answer (the SDK parses both with these).

FraudAnalysis follows Flinks' schema: ``DocumentAnalysis[{Status, FullAnalysis[{DocumentType,
FraudSignals[{Type, PageNumber, Count, UnderlyingData[{Details[{SpecificType, Value, DataType}]}]}]}]}]``,
one entry per document, ``Status`` its verdict (Trust, Normal, Warning, High Risk). Each document also names
itself (``DocumentId``, ``FileName``), which Flinks' schema leaves to the order of the list.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

NO_FRAUD = "No Fraud Signal Detected"
FRAUD = "Fraud Signal Detected"


class _Model(BaseModel):
    model_config = ConfigDict(populate_by_name=True, extra="ignore")


class DocumentReason(_Model):
    code: str = Field(alias="Code")
    message: str = Field(alias="Message")


class DocumentState(_Model):
    document_id: str = Field(alias="DocumentId")
    file_name: str = Field(alias="FileName")
    kind: str | None = Field(None, alias="Kind")  # pdf, jpeg, png, tiff, ofx, csv
    status: str = Field(alias="Status")  # Pending, Processed, Unreconciled, NoTransactionTable, Rejected
    reason: DocumentReason | None = Field(None, alias="Reason")
    pages: int = Field(0, alias="Pages")
    accounts: int = Field(0, alias="Accounts")
    transactions: int = Field(0, alias="Transactions")
    fraud_verdict: str | None = Field(None, alias="FraudVerdict")


class UploadState(_Model):
    http_status_code: int = Field(alias="HttpStatusCode")
    upload_id: str = Field(alias="UploadId")
    login_id: str = Field(alias="LoginId")
    status: str = Field(alias="Status")  # Pending, Completed, Failed
    documents: list[DocumentState] = Field(alias="Documents")


class FraudDetail(_Model):
    specific_type: str = Field(alias="SpecificType")
    value: str = Field(alias="Value")
    data_type: str = Field("String", alias="DataType")


class UnderlyingData(_Model):
    details: list[FraudDetail] = Field(alias="Details")


class FraudSignal(_Model):
    type: str = Field(alias="Type")
    page_number: int = Field(alias="PageNumber")
    count: int = Field(alias="Count")
    underlying_data: list[UnderlyingData] = Field(alias="UnderlyingData")


class FullAnalysis(_Model):
    document_type: str = Field("BankStatement", alias="DocumentType")
    fraud_signals: list[FraudSignal] = Field(alias="FraudSignals")


class DocumentAnalysis(_Model):
    status: str = Field(alias="Status")  # the verdict: Trust, Normal, Warning, High Risk
    document_id: str | None = Field(None, alias="DocumentId")
    file_name: str | None = Field(None, alias="FileName")
    full_analysis: list[FullAnalysis] = Field(alias="FullAnalysis")


class LoginRef(_Model):
    login_id: str = Field(alias="LoginId")
    request_id: str | None = Field(None, alias="RequestId")


class FraudAnalysisResponse(_Model):
    http_status_code: int = Field(alias="HttpStatusCode")
    message: str = Field(alias="Message")
    login: LoginRef = Field(alias="Login")
    document_analysis: list[DocumentAnalysis] = Field(alias="DocumentAnalysis")
