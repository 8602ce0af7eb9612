"""Evidence files: accepted by content, stored under a random name, downloaded only by their readers."""
from __future__ import annotations

import io
import struct
import zipfile
import zlib
from datetime import date
from pathlib import Path
from urllib.parse import quote

import pytest
from sqlalchemy import select

from tracker.core.errors import Conflict
from tracker.reporting import filetypes
from tracker.reporting.evidence import add_evidence
from tracker.reporting.models import Evidence
from tracker.reporting.services import save_report, submit_report

from .conftest import CO_FULL, COMPLETE, FGW, LVJ, XCB, ZSCQJ, at, post_sheet

TODAY = date(2024, 11, 20)


def small_pdf() -> bytes:
    """A real one-page PDF, cross-reference table and all."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>"]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def small_png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00")) + chunk(b"IEND", b""))


def office_zip(main_type: str | None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        if main_type:
            archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types><Override PartName="/main.xml" '
                                                    f'ContentType="{main_type}"/></Types>')
        archive.writestr("main.xml", "<x/>")
    return buffer.getvalue()


def real_xlsx() -> bytes:
    from openpyxl import Workbook

    buffer = io.BytesIO()
    Workbook().save(buffer)
    return buffer.getvalue()


def ole(stream: str) -> bytes:
    return filetypes.OLE_MAGIC + b"\x00" * 504 + stream.encode("utf-16-le") + b"\x00\x00" + b"\x00" * 512


EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200 + b"This program cannot be run"
WORD = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
SLIDES = "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml"


@pytest.mark.parametrize("data, kind", [
    (small_pdf(), filetypes.PDF),
    (small_png(), filetypes.PNG),
    (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 20, filetypes.JPEG),
    (office_zip(WORD), filetypes.DOCX),
    (real_xlsx(), filetypes.XLSX),
    (office_zip(SLIDES), filetypes.PPTX),
    (ole("WordDocument"), filetypes.DOC),
    (ole("Workbook"), filetypes.XLS),
    (EXE, None),                                  # a program, whatever its name says
    (office_zip(None), None),                     # a zip that is no Office document
    (office_zip("application/x-unknown"), None),
    (ole("SomethingElse"), None),                 # an OLE file that is neither Word nor Excel
    (b"PK\x03\x04 not really a zip", None),
    (b"%PD", None),
    (b"", None),
])
def test_file_types_are_told_by_their_content(data, kind):
    assert filetypes.detect(data) == kind


@pytest.mark.parametrize("name, clean", [
    ("C:\\Users\\李明\\桌面\\会议纪要.pdf", "会议纪要.pdf"),
    ("../../etc/passwd", "passwd"),
    ("报告\x00.pdf", "报告.pdf"),
    ("", "file.pdf"),
])
def test_a_file_keeps_its_own_name_without_folders(name, clean):
    assert filetypes.clean_filename(name, filetypes.PDF) == clean


@pytest.fixture
def upload_limit(app):
    """Lowers the per-file limit to 1 MB (and, if asked, the whole request's) for one test."""
    saved = app.config["TRACKER_UPLOAD_MAX_MB"], app.config["MAX_CONTENT_LENGTH"]

    def lower(request_bytes: int | None = None) -> None:
        app.config["TRACKER_UPLOAD_MAX_MB"] = 1
        if request_bytes:
            app.config["MAX_CONTENT_LENGTH"] = request_bytes

    yield lower
    app.config["TRACKER_UPLOAD_MAX_MB"], app.config["MAX_CONTENT_LENGTH"] = saved


def evidence_rows(services_ctx):
    return services_ctx(lambda world: [(e.filename, e.content_type, e.size, e.storage_name)
                                       for e in world.session.scalars(select(Evidence).order_by(Evidence.id))])


def test_a_real_pdf_is_stored_under_a_random_name_and_sent_back_as_an_attachment(app, as_user, task_ids,
                                                                                   services_ctx):
    client = as_user("xcb", XCB)
    task, pdf = task_ids["9"], small_pdf()
    response = post_sheet(client, "2024Q3", {task: {**COMPLETE, "evidence": (io.BytesIO(pdf), "会议纪要.pdf")}})
    assert response.status_code == 302
    [(filename, content_type, size, storage_name)] = evidence_rows(services_ctx)
    assert (filename, content_type, size) == ("会议纪要.pdf", "application/pdf", len(pdf))
    stored = Path(app.config["TRACKER_UPLOAD_DIR"]) / storage_name
    assert stored.read_bytes() == pdf and "会议纪要" not in storage_name and "static" not in str(stored)
    page = client.get("/workspace/2024Q3").get_data(as_text=True)
    link = page.split("会议纪要.pdf", 1)[0].rsplit('href="', 1)[1].split('"', 1)[0]
    download = client.get(link)
    assert download.status_code == 200 and download.data == pdf
    assert download.headers["Content-Type"] == "application/pdf"
    assert download.headers["X-Content-Type-Options"] == "nosniff"
    disposition = download.headers["Content-Disposition"]
    assert disposition.startswith("attachment") and f"filename*=UTF-8''{quote('会议纪要.pdf')}" in disposition


@pytest.mark.parametrize("name, served", [("报告.bat", "报告.pdf"), ("报告.html", "报告.pdf"), ("scan.svg", "scan.pdf"),
                                          ("setup.exe", "setup.pdf"), ("纪要", "纪要.pdf"), ("纪要.PDF", "纪要.PDF")])
def test_a_file_is_stored_and_served_under_the_extension_of_its_detected_type(app, as_user, task_ids,
                                                                              services_ctx, name, served):
    client = as_user("xcb", XCB)
    response = post_sheet(client, "2024Q3", {task_ids["9"]: {**COMPLETE, "evidence": (io.BytesIO(small_pdf()), name)}})
    assert response.status_code == 302
    [(filename, _, _, storage_name)] = evidence_rows(services_ctx)
    assert filename == name and storage_name.endswith(".pdf")        # the user's name, for display only
    page = client.get("/workspace/2024Q3").get_data(as_text=True)
    link = page.split(name, 1)[0].rsplit('href="', 1)[1].split('"', 1)[0]
    disposition = client.get(link).headers["Content-Disposition"]
    assert disposition.startswith("attachment")
    assert f"filename*=UTF-8''{quote(served)}" in disposition or f'filename={served}' in disposition


@pytest.mark.parametrize("data, name", [
    (b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "图.svg"),
    (b"<!doctype html><html><script>alert(1)</script></html>", "报告.html"),
    (b"<html><body onload=alert(1)>", "报告.pdf"),
    (b"@echo off\r\nformat c:", "报告.bat"),
])
def test_svg_html_and_scripts_are_refused_whatever_their_name(as_user, task_ids, services_ctx, data, name):
    client = as_user("xcb", XCB)
    response = post_sheet(client, "2024Q3", {task_ids["9"]: {**COMPLETE, "evidence": (io.BytesIO(data), name)}})
    assert response.status_code == 422 and "不支持该文件类型" in response.get_data(as_text=True)
    assert evidence_rows(services_ctx) == []


@pytest.mark.parametrize("name, extension, served", [
    ("报告.bat", ".pdf", "报告.pdf"), ("a.pdf.exe", ".pdf", "a.pdf.pdf"), ("photo.jpeg", ".jpg", "photo.jpeg"),
    ("photo.JPG", ".jpg", "photo.JPG"), ("", ".png", "file.png"), (".htaccess", ".pdf", ".htaccess.pdf"),
    ("表.xlsx", ".xlsx", "表.xlsx"), ("表.xls", ".xlsx", "表.xlsx"),
])
def test_the_download_name_always_ends_in_the_detected_extension(name, extension, served):
    assert filetypes.download_name(name, extension) == served


def test_a_program_renamed_pdf_is_refused_and_the_typed_text_is_still_saved(as_user, task_ids, services_ctx):
    client = as_user("xcb", XCB)
    task = task_ids["9"]
    response = post_sheet(client, "2024Q3", {task: {**COMPLETE, "progress": "我写的进展",
                                                    "evidence": (io.BytesIO(EXE), "报告.pdf")}})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "报告.pdf：不支持该文件类型" in page and "我写的进展" in page
    assert evidence_rows(services_ctx) == []
    assert "我写的进展" in client.get("/workspace/2024Q3").get_data(as_text=True)  # the draft was kept


def test_a_file_over_the_size_limit_is_refused_with_the_limit_named(as_user, task_ids, services_ctx, upload_limit):
    upload_limit()
    client = as_user("xcb", XCB)
    big = small_pdf() + b"%" * (1024 * 1024 + 10)
    response = post_sheet(client, "2024Q3", {task_ids["9"]: {**COMPLETE, "evidence": (io.BytesIO(big), "大.pdf")}})
    assert response.status_code == 422
    assert "大.pdf：文件超过 1 MB，未上传。" in response.get_data(as_text=True)
    assert evidence_rows(services_ctx) == []


def test_an_upload_over_the_request_limit_gets_a_plain_page_not_an_error(as_user, task_ids, upload_limit):
    upload_limit(request_bytes=512 * 1024)
    client = as_user("xcb", XCB)
    html = client.get("/workspace/2024Q3").get_data(as_text=True)
    big = small_pdf() + b"%" * (600 * 1024)
    response = post_sheet(client, "2024Q3", {task_ids["9"]: {**COMPLETE, "evidence": (io.BytesIO(big), "大.pdf")}},
                          html=html)
    page = response.get_data(as_text=True)
    assert response.status_code == 413
    assert "上传的文件太大" in page and "1 MB" in page and 'href="/workspace/2024Q3"' in page


@pytest.fixture
def co_evidence(app, services_ctx):
    """LVJ, a co-unit of task 9, submitted its report with a PDF; returns the evidence id."""

    def scene(world):
        clerk = world.user("lvj-clerk", LVJ)
        report, _ = save_report(world.session, task=world.task("9"), unit=world.unit(LVJ),
                                period=world.period("2024Q3"), data=CO_FULL, expected_version=None, actor=clerk,
                                now=at(TODAY), today=TODAY)
        item = add_evidence(world.session, report, filename="配合材料.pdf", data=small_pdf(),
                            directory=app.config["TRACKER_UPLOAD_DIR"], max_bytes=1024 * 1024, actor=clerk,
                            now=at(TODAY))
        submit_report(world.session, report, actor=clerk, now=at(TODAY), today=TODAY)
        world.session.flush()
        return item.id

    return services_ctx(scene)


@pytest.mark.parametrize("who, unit, role, status", [
    ("lvj", LVJ, "unit", 200),            # its own file
    ("xcb", XCB, "unit", 200),            # the lead of the task reads its co-units' reports
    ("fgw", FGW, "unit", 403),            # another co-unit of the same task does not
    ("zscqj", ZSCQJ, "unit", 403),        # a unit with no part in the task does not
    ("office", None, "supervisor", 200),  # the supervision office reads everything
])
def test_evidence_is_downloaded_only_by_those_who_may_read_the_report(as_user, co_evidence, who, unit, role, status):
    assert as_user(who, unit, role).get(f"/evidence/{co_evidence}").status_code == status


def test_evidence_is_never_served_to_anonymous_visitors(client, co_evidence):
    response = client.get(f"/evidence/{co_evidence}")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_the_lead_finds_the_co_units_file_on_its_report_page(as_user, co_evidence):
    page = as_user("xcb", XCB).get("/workspace/2024Q3").get_data(as_text=True)
    assert f'href="/evidence/{co_evidence}"' in page and "配合材料.pdf" in page


def test_a_submitted_report_takes_no_more_files(app, services_ctx, co_evidence):
    def attach(world):
        report = world.session.get(Evidence, co_evidence).report
        with pytest.raises(Conflict):
            add_evidence(world.session, report, filename="x.pdf", data=small_pdf(),
                         directory=app.config["TRACKER_UPLOAD_DIR"], max_bytes=1024 * 1024, actor=None, now=at(TODAY))

    services_ctx(attach)
