"""The pages a municipality answers with, and what they save: item by item (with htmx,
the fragment comes back), assignment, evidence, the Excel questionnaire out and in (all
or nothing), submission by the CISO, the prefecture's return and notes, the exports."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from mamoru.accounts.models import User
from mamoru.assessments.models import Answer, Campaign, FollowUpNote, TargetStatus
from mamoru.assessments.testing import submit, target_of, uniform
from mamoru.testing import CHIYODA, HACHIOJI, Cast, SignIn

pytestmark = pytest.mark.django_db


def _answers(target_pk: int) -> dict[str, str]:
    rows = Answer.objects.unscoped("test").filter(target_id=target_pk)
    return {a.item_id: a.option_id for a in rows}


def test_an_item_is_saved_as_the_person_goes(
    cast: Cast, national: Campaign, signed_in: SignIn
) -> None:
    target = target_of(national, CHIYODA)
    client = signed_in(cast.chiyoda)
    section = client.get(reverse("assessments:section", args=[target.pk, "organisation"]))
    assert section.status_code == 200
    page = section.content.decode()
    assert "地方自治法第244条の6" in page  # the question, and its plain help below it
    assert 'hx-trigger="change, submit"' in page
    url = reverse("assessments:answer", args=[target.pk, "ORG-01"])
    fragment = client.post(
        url, {"option": "partial", "comment": "方針は策定中"}, HTTP_HX_REQUEST="true"
    )
    assert fragment.status_code == 200
    assert "に保存しました" in fragment.content.decode()
    assert "<html" not in fragment.content.decode()
    plain = client.post(url, {"option": "implemented", "comment": ""})
    assert plain.status_code == 302
    assert plain["Location"].endswith("#item-ORG-01")
    assert _answers(target.pk) == {"ORG-01": "implemented"}
    wrong = client.post(url, {"option": "maybe"}, HTTP_HX_REQUEST="true")
    assert wrong.status_code == 400
    assert _answers(target.pk) == {"ORG-01": "implemented"}
    # A viewer reads but cannot save.
    viewer = signed_in(cast.chiyoda_viewer).post(url, {"option": "partial"}, HTTP_HX_REQUEST="true")
    assert viewer.status_code == 400
    assert "権限" in viewer.content.decode()


def test_items_are_assigned_to_colleagues_who_see_them_at_home(
    cast: Cast, national: Campaign, ciso: User, signed_in: SignIn
) -> None:
    target = target_of(national, CHIYODA)
    client = signed_in(cast.chiyoda)
    client.post(reverse("assessments:assign", args=[target.pk, "TEC-10"]), {"assignee": ciso.pk})
    assignee = Answer.objects.unscoped("test").get(target=target, item_id="TEC-10").assignee
    assert assignee == ciso
    home = signed_in(ciso).get("/").content.decode()
    assert "あなたに割り当てられた調査の項目があります（1件）" in home
    # Someone of another organisation cannot be assigned.
    client.post(
        reverse("assessments:assign", args=[target.pk, "TEC-10"]), {"assignee": cast.hachioji.pk}
    )
    assert Answer.objects.unscoped("test").get(target=target, item_id="TEC-10").assignee == ciso


def test_the_home_page_says_a_deadline_is_near(
    cast: Cast, framework: object, signed_in: SignIn
) -> None:
    from datetime import timedelta

    from django.utils import timezone

    from mamoru.assessments.testing import campaign

    soon = campaign(framework, codes=[CHIYODA], deadline=timezone.now() + timedelta(days=3))  # type: ignore[arg-type]
    home = signed_in(cast.chiyoda).get("/").content.decode()
    assert "回答期限が近い調査があります" in home
    assert reverse("assessments:target", args=[target_of(soon, CHIYODA).pk]) in home


def test_evidence_files_are_checked(cast: Cast, national: Campaign, signed_in: SignIn) -> None:
    target = target_of(national, CHIYODA)
    client = signed_in(cast.chiyoda)
    url = reverse("assessments:evidence_upload", args=[target.pk, "ORG-01"])
    script = io.BytesIO(b"<script>alert(1)</script>")
    script.name = "x.html"
    client.post(url, {"file": script})
    policy = io.BytesIO(b"%PDF-1.4")
    policy.name = "基本方針.pdf"
    response = client.post(url, {"file": policy}, follow=True)
    page = response.content.decode()
    assert "添付できるファイルは" in page
    assert "基本方針.pdf" in page


def _workbook(rows: list[list[str]]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["項目ID", "回答", "コメント"])
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_the_questionnaire_goes_out_to_excel_and_comes_back_all_or_nothing(
    cast: Cast, national: Campaign, signed_in: SignIn
) -> None:
    target = target_of(national, CHIYODA)
    client = signed_in(cast.chiyoda)
    exported = client.get(reverse("assessments:questionnaire", args=[target.pk, "xlsx"]))
    sheet = load_workbook(io.BytesIO(exported.content)).worksheets[0]
    header = [c.value for c in sheet[1]]
    assert header[0] == "項目ID"
    assert "回答" in header
    ids = [row[0].value for row in sheet.iter_rows(min_row=2)]
    assert "ORG-01" in ids
    assert "ORG-11" not in ids  # prefectures only
    url = reverse("assessments:import", args=[target.pk])
    bad = io.BytesIO(
        _workbook([["ORG-01", "実施", ""], ["ORG-02", "たぶん", ""], ["ZZZ-9", "実施", ""]])
    )
    bad.name = "回答.xlsx"
    refused = client.post(url, {"file": bad})
    assert refused.status_code == 400
    text = refused.content.decode()
    assert "3行目" in text
    assert "4行目" in text
    assert _answers(target.pk) == {}  # nothing saved
    good = io.BytesIO(_workbook([["ORG-01", "実施", "公表済み"], ["ORG-02", "一部実施", ""]]))
    good.name = "回答.xlsx"
    assert client.post(url, {"file": good}).status_code == 302
    assert _answers(target.pk) == {"ORG-01": "implemented", "ORG-02": "partial"}


def test_submission_review_and_notes_through_the_pages(
    cast: Cast, national: Campaign, ciso: User, signed_in: SignIn
) -> None:
    target = target_of(national, CHIYODA)
    from mamoru.assessments.testing import answer

    answer(target, uniform(national.framework, "special_ward"))
    editor = signed_in(cast.chiyoda).get(reverse("assessments:submit", args=[target.pk]))
    assert "CISO" in editor.content.decode()
    assert signed_in(ciso).post(reverse("assessments:submit", args=[target.pk])).status_code == 302
    target.refresh_from_db()
    assert target.status == TargetStatus.SUBMITTED
    tokyo = signed_in(cast.tokyo)
    page = tokyo.get(reverse("assessments:target", args=[target.pk])).content.decode()
    assert "回答を確認する" in page
    tokyo.post(
        reverse("assessments:review", args=[target.pk]),
        {"decision": "returned", "comment": "TEC-18 を確認してください"},
    )
    tokyo.post(reverse("assessments:note_add", args=[target.pk]), {"text": "電話で説明した"})
    target.refresh_from_db()
    assert target.status == TargetStatus.RETURNED
    assert FollowUpNote.objects.unscoped("test").filter(target=target).count() == 1
    own = (
        signed_in(cast.chiyoda)
        .get(reverse("assessments:target", args=[target.pk]))
        .content.decode()
    )
    assert "TEC-18 を確認してください" in own
    assert "電話で説明した" not in own  # the supervisors' note is theirs
    follow = tokyo.get(reverse("assessments:follow_up", args=[national.pk])).content.decode()
    assert "千代田区" in follow
    assert "電話で説明した" in follow


def test_the_results_export_lists_the_area(
    cast: Cast, national: Campaign, ciso: User, signed_in: SignIn
) -> None:
    submit(target_of(national, CHIYODA), uniform(national.framework, "special_ward"), approver=ciso)
    body = (
        signed_in(cast.tokyo)
        .get(reverse("assessments:results_export", args=[national.pk, "csv"]))
        .content.decode("utf-8-sig")
    )
    lines = body.splitlines()
    assert lines[0].startswith("団体コード,団体名")
    assert any(line.startswith(f"{CHIYODA},千代田区") and ",100.0," in line for line in lines)
    assert not any("大阪" in line for line in lines)
    assert any(line.startswith(HACHIOJI) for line in lines)


def test_the_pages_speak_english_when_asked(
    cast: Cast, national: Campaign, signed_in: SignIn
) -> None:
    from django.utils import translation

    client = signed_in(cast.chiyoda)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    try:
        listing = client.get(reverse("assessments:campaigns")).content.decode()
        target = target_of(national, CHIYODA)
        page = client.get(reverse("assessments:target", args=[target.pk])).content.decode()
    finally:
        translation.deactivate()  # the middleware leaves English active in this thread
    assert "<h1>Implementation surveys</h1>" in listing
    assert "Progress by section" in page
    assert "Export the questionnaire to Excel" in page


def test_a_submitted_answer_is_shown_to_its_organisation_without_working_rows(
    cast: Cast, national: Campaign, signed_in: SignIn
) -> None:
    """Answers imported as a submission (the operators' bulk import) have no working rows:
    the organisation still sees what it submitted, read-only."""
    target = target_of(national, CHIYODA)
    answers = uniform(target.campaign.framework, target.size_class, "partial")
    submit(target, answers)
    Answer.objects.unscoped("test: as the bulk import leaves it").filter(target=target).delete()
    client = signed_in(cast.chiyoda)
    page = client.get(reverse("assessments:target", args=[target.pk])).content.decode()
    assert f"{len(answers)}<span" in page  # answered items / applicable
    assert "提出した回答です" in page
    section = client.get(reverse("assessments:section", args=[target.pk, "organisation"]))
    text = section.content.decode()
    assert "一部実施" in text
    assert 'name="option"' not in text  # read-only
