"""Evidence after it is uploaded: removed or replaced while the report is editable (kept when a
submitted version showed it), orphan files pruned, and China's OFD / WPS files accepted by content."""
from __future__ import annotations

import io
import os
import time
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import select

from tracker.accounts.models import Role
from tracker.core.audit import AuditEntry
from tracker.reporting import filetypes
from tracker.reporting.models import Evidence, Report
from tracker.reporting.services import return_report

from .conftest import COMPLETE, XCB, at, csrf_from, post_sheet
from .test_evidence import EXE, ole, small_pdf, small_png
from .test_sheet import TODAY


def ofd(with_root: bool = True) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        if with_root:
            archive.writestr("OFD.xml", '<?xml version="1.0" encoding="UTF-8"?><ofd:OFD xmlns:ofd="http://www.ofdspec.org'
                                        '/2016" Version="1.0"><ofd:DocBody><ofd:DocRoot>Doc_0/Document.xml'
                                        '</ofd:DocRoot></ofd:DocBody></ofd:OFD>')
        archive.writestr("Doc_0/Document.xml", "<ofd:Document/>")
    return buffer.getvalue()


@pytest.mark.parametrize("data, name, kind", [
    (ofd(), "通报.ofd", filetypes.OFD),
    (ofd(with_root=False), "通报.ofd", None),          # a zip without OFD.xml is no OFD document
    (ole("WordDocument"), "汇报.wps", filetypes.WPS),
    (ole("Workbook"), "台账.et", filetypes.ET),
    (ole("PowerPoint Document"), "汇报.dps", filetypes.DPS),
    (EXE, "汇报.wps", None),                           # the name is not enough: the content must be OLE
    (ole("WordDocument"), "汇报.doc", filetypes.DOC),
])
def test_ofd_and_wps_files_are_accepted_by_their_content(data, name, kind):
    assert filetypes.detect(data, name) == kind


def test_a_unit_uploads_an_ofd_file_through_the_report_page(as_user, task_ids, services_ctx):
    client = as_user("xcb", XCB)
    response = post_sheet(client, "2024Q3", {task_ids["9"]: {**COMPLETE, "evidence": (io.BytesIO(ofd()), "通报.ofd")}})
    assert response.status_code == 302
    assert services_ctx(lambda w: w.session.scalar(select(Evidence.content_type))) == "application/ofd"


def files_of(services_ctx):
    return services_ctx(lambda w: [(e.filename, e.removed_at is not None, e.storage_name)
                                   for e in w.session.scalars(select(Evidence).order_by(Evidence.id))])


def upload_dir(app) -> Path:
    return Path(app.config["TRACKER_UPLOAD_DIR"])


def test_a_draft_file_is_removed_row_and_file_and_the_removal_is_audited(app, as_user, task_ids, services_ctx):
    client = as_user("xcb", XCB)
    task = task_ids["9"]
    post_sheet(client, "2024Q3", {task: {**COMPLETE, "evidence": (io.BytesIO(small_pdf()), "纪要.pdf")}})
    (_, _, storage), = files_of(services_ctx)
    evidence_id = services_ctx(lambda w: w.session.scalar(select(Evidence.id)))
    response = post_sheet(client, "2024Q3", {task: {**COMPLETE, "remove": str(evidence_id)}})
    assert response.status_code == 302
    assert "已删除 1 个佐证材料。" in client.get(response.headers["Location"]).get_data(as_text=True)
    assert files_of(services_ctx) == [] and not (upload_dir(app) / storage).exists()
    actions = services_ctx(lambda w: w.session.scalars(select(AuditEntry.action)
                                                       .where(AuditEntry.action.like("evidence.%"))).all())
    assert actions == ["evidence.add", "evidence.remove"]


def test_a_file_the_office_saw_is_kept_for_history_when_removed_after_a_return(app, as_user, task_ids,
                                                                              services_ctx):
    client = as_user("xcb", XCB)
    task = task_ids["9"]
    post_sheet(client, "2024Q3", {task: {**COMPLETE, "evidence": (io.BytesIO(small_pdf()), "纪要.pdf")}},
               action=f"submit-{task}")

    def give_back(world):
        report = world.session.scalar(select(Report))
        return_report(world.session, report, comment="换一份", actor=world.user("office", role=Role.SUPERVISOR),
                      now=at(TODAY, 11))
        return world.session.scalar(select(Evidence.id))

    old_id = services_ctx(give_back)
    response = post_sheet(client, "2024Q3", {task: {**COMPLETE, f"replace-{old_id}": (io.BytesIO(small_png()),
                                                                                       "现场.png")}})
    assert response.status_code == 302
    rows = files_of(services_ctx)
    assert [(name, removed) for name, removed, _ in rows] == [("纪要.pdf", True), ("现场.png", False)]
    assert all((upload_dir(app) / storage).exists() for _, _, storage in rows)   # history keeps the old file
    row = client.get("/workspace/2024Q3").get_data(as_text=True).split(f'id="task-{task}"')[1].split("</article>")[0]
    assert "现场.png" in row and "纪要.pdf" not in row


def test_a_submitted_reports_files_cannot_be_removed(app, as_user, task_ids, services_ctx):
    client = as_user("xcb", XCB)
    task = task_ids["9"]
    post_sheet(client, "2024Q3", {task: {**COMPLETE, "evidence": (io.BytesIO(small_pdf()), "纪要.pdf")}},
               action=f"submit-{task}")
    evidence_id = services_ctx(lambda w: w.session.scalar(select(Evidence.id)))
    # A crafted post naming the file of the submitted report: the row is not editable, nothing happens.
    csrf = csrf_from(client.get("/workspace/2024Q3").get_data(as_text=True))
    client.post("/workspace/2024Q3", data={"csrf_token": csrf, "action": "save", f"r{task}-version": "2",
                                           f"r{task}-digest": "", f"r{task}-remove": str(evidence_id)})
    assert [(n, r) for n, r, _ in files_of(services_ctx)] == [("纪要.pdf", False)]


def test_prune_orphans_deletes_only_old_files_no_evidence_names(app, as_user, task_ids, services_ctx):
    client = as_user("xcb", XCB)
    post_sheet(client, "2024Q3", {task_ids["9"]: {**COMPLETE, "evidence": (io.BytesIO(small_pdf()), "纪要.pdf")}})
    (_, _, kept), = files_of(services_ctx)
    folder = upload_dir(app)
    orphan, young, other = folder / ("a" * 40 + ".pdf"), folder / ("b" * 40 + ".pdf"), folder / "notes.txt"
    for path in (orphan, young, other):
        path.write_bytes(b"%PDF-1.4 left by a rolled-back save")
    two_hours_ago = time.time() - 7200
    for path in (orphan, other, folder / kept):
        os.utime(path, (two_hours_ago, two_hours_ago))
    from tracker.reporting.cli import evidence

    runner = app.test_cli_runner()
    dry = runner.invoke(evidence, ["prune-orphans", "--dry-run"])
    assert dry.exit_code == 0 and "would delete " + orphan.name in dry.output and orphan.exists()
    result = runner.invoke(evidence, ["prune-orphans"])
    assert result.exit_code == 0 and "1 orphan file(s) deleted." in result.output
    assert not orphan.exists() and young.exists() and other.exists() and (folder / kept).exists()
