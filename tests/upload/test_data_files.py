"""Sniffing and limits, OFX/QFX and CSV statements, and the profile an extraction becomes."""

from __future__ import annotations

from datetime import date

import pytest

from finstance.core.country import Country
from finstance.sandbox.generator import generate_profile
from finstance.sandbox.pdf import render_statement
from finstance.upload.documents import (
    MAX_FILE_BYTES,
    DocumentKind,
    DocumentRejected,
    check_upload,
    sniff,
)
from finstance.upload.extract import extract_document
from finstance.upload.profile import to_profile
from finstance.upload.statement import BalanceSign, ExtractionStatus

OFX_SGML = b"""OFXHEADER:100
DATA:OFXSGML
VERSION:102
SECURITY:NONE
ENCODING:USASCII
CHARSET:1252
COMPRESSION:NONE
OLDFILEUID:NONE
NEWFILEUID:NONE

<OFX><SIGNONMSGSRSV1><SONRS><STATUS><CODE>0<SEVERITY>INFO</STATUS><DTSERVER>20260131</SONRS></SIGNONMSGSRSV1>
<BANKMSGSRSV1><STMTTRNRS><TRNUID>1<STMTRS><CURDEF>CAD
<BANKACCTFROM><BANKID>777<ACCTID>1234567<ACCTTYPE>CHECKING</BANKACCTFROM>
<BANKTRANLIST><DTSTART>20260101<DTEND>20260131
<STMTTRN><TRNTYPE>DEBIT<DTPOSTED>20260105120000[-5:EST]<TRNAMT>-12.34<FITID>1<NAME>CAFE &amp; CO<MEMO>POS
<STMTTRN><TRNTYPE>CREDIT<DTPOSTED>20260115<TRNAMT>1500.00<FITID>2<NAME>PAYROLL
</BANKTRANLIST><LEDGERBAL><BALAMT>2487.66<DTASOF>20260131</LEDGERBAL></STMTRS></STMTTRNRS></BANKMSGSRSV1>
<CREDITCARDMSGSRSV1><CCSTMTTRNRS><TRNUID>2<CCSTMTRS><CURDEF>CAD<CCACCTFROM><ACCTID>4510XXXX1111</CCACCTFROM>
<BANKTRANLIST><DTSTART>20260101<DTEND>20260131
<STMTTRN><TRNTYPE>DEBIT<DTPOSTED>20260110<TRNAMT>-50.00<FITID>3<NAME>GROCER
<STMTTRN><TRNTYPE>CREDIT<DTPOSTED>20260120<TRNAMT>20.00<FITID>4<NAME>PAYMENT THANK YOU
</BANKTRANLIST><LEDGERBAL><BALAMT>-130.00<DTASOF>20260131</LEDGERBAL></CCSTMTRS></CCSTMTTRNRS>
</CREDITCARDMSGSRSV1></OFX>
"""

OFX_XML = b"""<?xml version="1.0" encoding="UTF-8"?>
<?OFX OFXHEADER="200" VERSION="220" SECURITY="NONE" OLDFILEUID="NONE" NEWFILEUID="NONE"?>
<OFX><BANKMSGSRSV1><STMTTRNRS><STMTRS><CURDEF>USD</CURDEF>
<BANKACCTFROM><BANKID>121000248</BANKID><ACCTID>99887766</ACCTID><ACCTTYPE>SAVINGS</ACCTTYPE></BANKACCTFROM>
<BANKTRANLIST><DTSTART>20260301</DTSTART><DTEND>20260331</DTEND>
<STMTTRN><TRNTYPE>INT</TRNTYPE><DTPOSTED>20260331</DTPOSTED><TRNAMT>1.25</TRNAMT><NAME>INTEREST</NAME></STMTTRN>
</BANKTRANLIST><LEDGERBAL><BALAMT>101.25</BALAMT><DTASOF>20260331</DTASOF></LEDGERBAL></STMTRS></STMTTRNRS>
</BANKMSGSRSV1></OFX>"""


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (b"%PDF-1.7\n...", DocumentKind.PDF),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", DocumentKind.JPEG),
        (b"\x89PNG\r\n\x1a\n\x00", DocumentKind.PNG),
        (b"II*\x00\x08\x00", DocumentKind.TIFF),
        (b"MM\x00*\x00\x08", DocumentKind.TIFF),
        (OFX_SGML, DocumentKind.OFX),
        (OFX_XML, DocumentKind.OFX),
        (b"Date,Description,Amount,Balance\n2026-01-02,X,-1.00,9.00\n", DocumentKind.CSV),
    ],
)
def test_sniff_reads_the_bytes(data: bytes, kind: DocumentKind) -> None:
    assert sniff(data) is kind


@pytest.mark.parametrize(("data", "code"), [(b"", "empty_file"), (b"PK\x03\x04zip", "unsupported_format")])
def test_sniff_refuses_other_files(data: bytes, code: str) -> None:
    with pytest.raises(DocumentRejected) as caught:
        sniff(data)
    assert caught.value.code == code


def test_upload_limits() -> None:
    pdf = b"%PDF-1.4\n"
    assert check_upload([pdf] * 24) == [DocumentKind.PDF] * 24
    cases = [
        ([], "no_files"),
        ([pdf] * 25, "too_many_files"),
        ([pdf + b"0" * MAX_FILE_BYTES], "file_too_large"),
        ([pdf + b"0" * (MAX_FILE_BYTES - 100)] * 10, "upload_too_large"),
        ([pdf, b"GIF89a"], "unsupported_format"),
    ]
    for files, code in cases:
        with pytest.raises(DocumentRejected) as caught:
            check_upload(files)
        assert caught.value.code == code, code
    with pytest.raises(DocumentRejected, match="File 2"):
        check_upload([pdf, b"GIF89a"])


def test_ofx_sgml_bank_and_card_accounts() -> None:
    result = extract_document(OFX_SGML, DocumentKind.OFX)
    assert result.ok, result.reason
    assert result.statement is not None
    bank, card = result.statement.accounts
    assert (bank.number, bank.currency, bank.sign) == ("1234567", "CAD", BalanceSign.HELD)
    assert (bank.opening_balance_cents, bank.closing_balance_cents) == (100000, 248766)
    assert [(t.description, t.debit_cents, t.credit_cents, t.balance_cents) for t in bank.transactions] == [
        ("CAFE & CO POS", 1234, None, 98766),
        ("PAYROLL", None, 150000, 248766),
    ]
    assert (card.sign, card.opening_balance_cents, card.closing_balance_cents) == (
        BalanceSign.OWED,
        10000,
        13000,
    )
    assert [t.balance_cents for t in card.transactions] == [15000, 13000]
    assert result.statement.period_start == date(2026, 1, 1)


def test_ofx_xml() -> None:
    result = extract_document(OFX_XML, DocumentKind.OFX)
    assert result.statement is not None
    [savings] = result.statement.accounts
    assert (savings.opening_balance_cents, savings.closing_balance_cents, savings.currency) == (
        10000,
        10125,
        "USD",
    )


def test_ofx_without_ledger_balance_is_unreconciled() -> None:
    result = extract_document(OFX_XML.replace(b"LEDGERBAL", b"AVAILBAL"), DocumentKind.OFX)
    assert result.status is ExtractionStatus.UNRECONCILED
    assert result.statement is None


def test_csv_with_signed_amounts_and_with_debit_credit_columns() -> None:
    signed = (
        b"Date,Description,Amount,Balance\n01/05/2026,COFFEE,-4.50,95.50\n01/20/2026,REFUND,10.00,105.50\n"
    )
    result = extract_document(signed, DocumentKind.CSV)
    assert result.statement is not None
    [account] = result.statement.accounts
    assert account.opening_balance_cents == 10000
    assert [(t.date, t.debit_cents, t.credit_cents) for t in account.transactions] == [
        (date(2026, 1, 5), 450, None),
        (date(2026, 1, 20), None, 1000),
    ]
    french = "Date;Libellé;Retraits;Dépôts;Solde\n25/01/2026;ÉPICERIE;1 234,56;;-234,56\n".encode()
    result = extract_document(french, DocumentKind.CSV)
    assert result.statement is not None
    [account] = result.statement.accounts
    assert account.transactions[0].date == date(2026, 1, 25)
    assert account.transactions[0].debit_cents == 123456
    assert account.opening_balance_cents == 100000


def test_csv_that_does_not_add_up_or_has_no_balance_gives_no_data() -> None:
    bad = b"Date,Description,Amount,Balance\n2026-01-05,A,-4.50,95.50\n2026-01-06,B,-1.00,90.00\n"
    assert extract_document(bad, DocumentKind.CSV).status is ExtractionStatus.UNRECONCILED
    no_balance = b"Date,Description,Amount\n2026-01-05,A,-4.50\n"
    result = extract_document(no_balance, DocumentKind.CSV)
    assert result.status is ExtractionStatus.UNRECONCILED
    assert "Balance" in result.reason


def test_a_broken_picture_is_unreadable_with_its_reason() -> None:
    result = extract_document(b"\x89PNG\r\n\x1a\n", DocumentKind.PNG)
    assert result.status is ExtractionStatus.UNREADABLE
    assert "cannot be read" in result.reason


def test_to_profile_maps_a_sandbox_statement_back_to_connect_types() -> None:
    profile = generate_profile("alice", Country.CA, date(2026, 3, 15))
    card = profile.accounts[2]
    result = extract_document(render_statement(profile.holder, card.statements[-1]), DocumentKind.PDF)
    assert result.statement is not None
    mapped = to_profile(result.statement, key="login-1", country="CA", currency="CAD")
    again = to_profile(result.statement, key="login-1", country="CA", currency="CAD")
    assert mapped == again
    assert mapped.holder.name == profile.holder.name
    address = profile.holder.address
    assert (mapped.holder.address.city, mapped.holder.address.province) == (address.city, address.province)
    assert mapped.holder.address.postal_code == address.postal_code
    [account] = mapped.accounts
    assert (account.category, account.type, account.currency) == ("Credits", "CreditCard", "CAD")
    assert account.last_four_digits == card.account_number[-4:]
    assert account.balance_current_cents == card.statements[-1].content.closing_balance_cents
    assert [t.seq for t in account.transactions] == list(range(len(account.transactions)))
    assert len({t.id for t in account.transactions}) == len(account.transactions)
