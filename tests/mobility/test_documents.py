"""Uploaded documents: checked by content, stored outside the web root under random names,
served only to those who may see them (404 for everyone else, anonymous included)."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import translation

from mobility.cases import services as cases
from mobility.core.audit import audit_trail
from mobility.core.documents.access import documents_visible_to
from mobility.core.documents.checks import check_upload, sanitise_name
from mobility.core.documents.models import Document
from mobility.core.documents.services import document_remove, document_upload
from mobility.core.models import AuditEntry
from mobility.exchange import services as exchange
from mobility.exchange.models import ApplicationStatus
from tests import files
from tests.factories import (
    OrganisationFactory,
    OrganisationMembershipFactory,
    RegistrationFactory,
    SeekerProfileFactory,
    UserFactory,
    VacancyFactory,
    centre,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def stored_files(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file()] if folder.exists() else []


# --- What is refused, and that nothing is stored -------------------------------------------


REFUSED = [
    # (file name, content, kind, code, words of the message)
    ("scan.pdf", files.png(), Document.Kind.CV, "type_for_kind", "Upload a PDF document or a Word"),
    ("scan.pdf", files.png(), Document.Kind.IDENTITY, "extension", "named “.pdf” but it is a PNG image"),
    ("cv.pdf", files.ELF, Document.Kind.CV, "type", "This file is a program"),
    ("cv.pdf", files.PDF_WITH_ZIP, Document.Kind.CV, "pdf_appended", "carries other data"),
    ("cv.zip", files.PLAIN_ZIP, Document.Kind.CV, "type", "This file is a ZIP archive"),
    ("cv.docx", files.PLAIN_ZIP, Document.Kind.CV, "type", "This file is a ZIP archive"),
    ("cv.pdf", b"", Document.Kind.CV, "empty", "The file is empty"),
    ("cv.pdf", files.TRUNCATED_PDF, Document.Kind.CV, "pdf_truncated", "The PDF is incomplete"),
    (
        "cv.docx",
        files.docx({"../../etc/cron.d/x": "boom"}),
        Document.Kind.CV,
        "docx_unsafe",
        "contains something that is not accepted",
    ),
    (
        "cv.docx",
        files.docx({"word/vbaProject.bin": b"\x00" * 10}),
        Document.Kind.CV,
        "docx_unsafe",
        "macros",
    ),
    ("cv.docx", files.docx()[:-30], Document.Kind.CV, "docx_invalid", "damaged"),
    ("cv.txt", b"just some text", Document.Kind.OTHER, "type", "a file of unknown type"),
    (
        "cv.pdf",
        files.PDF.replace(b"xref", files.PLAIN_ZIP + b"\nxref"),
        Document.Kind.CV,
        "pdf_appended",
        "carries other data",
    ),
    ("id.png", files.png() + files.PLAIN_ZIP, Document.Kind.IDENTITY, "png_appended", "other data after it"),
    ("id.png", files.png()[:-12], Document.Kind.IDENTITY, "png_appended", "incomplete"),
]


@pytest.mark.parametrize(
    ("name", "content", "kind", "code", "words"), REFUSED, ids=[f"{r[3]}-{r[0]}" for r in REFUSED]
)
def test_refused_uploads_store_nothing(name, content, kind, code, words, aigerim, documents_dir):
    with pytest.raises(ValidationError) as refused:
        document_upload(file=files.upload(name, content), kind=kind, owner=aigerim, by=aigerim)
    assert refused.value.code == code
    assert words in " ".join(refused.value.messages)
    assert not Document.objects.exists()
    assert stored_files(documents_dir) == []


def test_a_file_over_the_limit_is_refused(settings, aigerim, documents_dir):
    settings.DOCUMENT_MAX_BYTES = 1024 * 1024
    big = files.PDF[:-6] + b"%" * (1024 * 1024) + b"\n%%EOF\n"
    with pytest.raises(ValidationError) as refused:
        document_upload(file=files.upload("cv.pdf", big), kind=Document.Kind.CV, owner=aigerim, by=aigerim)
    assert refused.value.code == "too_large"
    assert "larger than 1 MB" in refused.value.messages[0]
    assert not Document.objects.exists() and stored_files(documents_dir) == []


def test_a_docx_that_unpacks_too_far_is_refused(settings, aigerim, documents_dir):
    settings.DOCUMENT_MAX_UNPACKED_BYTES = 100_000
    bomb = files.docx({"word/media/padding.xml": b"\x00" * 1_000_000})
    assert len(bomb) < 10_000
    with pytest.raises(ValidationError) as refused:
        document_upload(file=files.upload("cv.docx", bomb), kind=Document.Kind.CV, owner=aigerim, by=aigerim)
    assert refused.value.code == "docx_unsafe"
    assert stored_files(documents_dir) == []


def test_the_default_limit_is_ten_megabytes_and_uploads_stay_in_memory():
    assert settings.DOCUMENT_MAX_BYTES == 10 * 1024 * 1024
    assert settings.FILE_UPLOAD_MAX_MEMORY_SIZE == settings.DOCUMENT_MAX_BYTES


# --- What is accepted, and where it goes ---------------------------------------------------


ACCEPTED = [
    ("Резюме Айгерім.pdf", files.PDF, Document.Kind.CV, "application/pdf", "Резюме_Айгерім.pdf"),
    (
        "my cv.docx",
        files.docx(),
        Document.Kind.CV,
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "my_cv.docx",
    ),
    ("../../passport.PNG", files.png(), Document.Kind.IDENTITY, "image/png", "passport.png"),
    ("scan", files.JPEG, Document.Kind.IDENTITY, "image/jpeg", "scan.jpg"),
]


@pytest.mark.parametrize(("name", "content", "kind", "content_type", "clean_name"), ACCEPTED)
def test_accepted_uploads_are_stored_outside_the_web_root_under_a_random_name(
    name, content, kind, content_type, clean_name, aigerim, dana, documents_dir
):
    document = document_upload(file=files.upload(name, content), kind=kind, owner=aigerim, by=dana)
    document.refresh_from_db()
    assert (document.content_type, document.original_name, document.size) == (
        content_type,
        clean_name,
        len(content),
    )
    assert document.sha256 == hashlib.sha256(content).hexdigest()
    assert document.uploaded_by == dana and document.owner == aigerim
    [path] = stored_files(documents_dir)
    assert path.read_bytes() == content
    assert path.relative_to(documents_dir).as_posix() == document.storage_name
    stem = Path(clean_name).stem
    assert stem not in document.storage_name and len(Path(document.storage_name).stem) == 32
    entry = audit_trail(document).get()
    assert entry.action == "document.uploaded" and entry.actor == dana
    assert entry.data["sha256"] == document.sha256


def test_the_configured_documents_folder_is_not_public():
    root = Path(settings.STORAGES["documents"]["OPTIONS"]["location"]).resolve()
    for public in (settings.MEDIA_ROOT, settings.STATIC_ROOT, *settings.STATICFILES_DIRS):
        public = Path(public).resolve()
        assert root != public and public not in root.parents


def test_a_document_can_be_attached_to_what_it_belongs_to(aigerim, dana):
    registration = RegistrationFactory(profile=SeekerProfileFactory(user=aigerim))
    document = document_upload(
        file=files.upload("id.pdf", files.PDF),
        kind=Document.Kind.IDENTITY,
        owner=aigerim,
        by=dana,
        attached_to=registration,
    )
    assert Document.objects.get(pk=document.pk).attached_to == registration


def test_removal_deletes_the_file_after_commit_and_is_audited(
    aigerim, documents_dir, django_capture_on_commit_callbacks
):
    document = document_upload(
        file=files.upload("cv.pdf", files.PDF), kind=Document.Kind.CV, owner=aigerim, by=aigerim
    )
    pk = document.pk
    with django_capture_on_commit_callbacks(execute=True):
        document_remove(document=document, by=aigerim)
    assert not Document.objects.exists()
    assert stored_files(documents_dir) == []
    removed = AuditEntry.objects.get(action="document.removed", target_id=str(pk))
    assert removed.data["name"] == "cv.pdf"


@pytest.mark.parametrize(
    ("name", "clean"),
    [
        ("..\\..\\windows\\evil.pdf", "evil.pdf"),
        ('a"b;\r\nc.pdf', "abc.pdf"),
        ("....pdf", "document.pdf"),
        ("Түйіндеме (2026).docx", "Түйіндеме_2026.docx"),
    ],
)
def test_file_names_are_sanitised(name, clean):
    assert sanitise_name(name, name.rsplit(".", 1)[1].lower()) == clean


def test_zip_signature_bytes_inside_a_pdf_stream_are_not_an_archive():
    # Compressed streams can hold the four signature bytes by chance; no ZIP header follows them.
    pdf = files.PDF.replace(b"xref", b"stream\nPK\x03\x04\xff\xff\xff\xff\x00\x00endstream\nxref")
    assert check_upload(files.upload("cv.pdf", pdf), kind=Document.Kind.CV).content_type == "application/pdf"


def test_the_check_reads_the_content_not_the_browsers_word():
    lying = files.upload("cv.pdf", files.ELF, content_type="application/pdf")
    with pytest.raises(ValidationError):
        check_upload(lying, kind=Document.Kind.CV)


# --- Who may download ----------------------------------------------------------------------


@pytest.fixture
def aigerim_case(aigerim, dana):
    seeker = SeekerProfileFactory(user=aigerim, region=centre("KZ-55-pavlodar").region)
    RegistrationFactory(profile=seeker, centre=centre("KZ-55-pavlodar"))
    return cases.case_open(person=seeker.user, centre=centre("KZ-55-pavlodar"), by=dana)


@pytest.fixture
def aigerim_cv(aigerim, aigerim_case):
    return document_upload(
        file=files.upload("Aigerim CV.pdf", files.PDF), kind=Document.Kind.CV, owner=aigerim, by=aigerim
    )


@pytest.fixture
def aigerim_id(aigerim, aigerim_case, dana):
    return document_upload(
        file=files.upload("id.png", files.png()), kind=Document.Kind.IDENTITY, owner=aigerim, by=dana
    )


def _share_contacts(profile, organisation):
    vacancy = VacancyFactory(organisation=organisation)
    return exchange.application_create(
        seeker=profile, vacancy=vacancy, status=ApplicationStatus.APPLIED, by=profile.user
    )


def _url(document):
    return f"/documents/{document.public_id}/"


def test_the_owner_downloads_their_document_as_an_attachment(client, aigerim, aigerim_cv):
    client.force_login(aigerim)
    response = client.get(_url(aigerim_cv))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == files.PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="Aigerim_CV.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"


def test_the_case_counsellor_and_the_regional_manager_download_it(client, dana, yerlan, aigerim_id):
    for person in (dana, yerlan):
        client.force_login(person)
        response = client.get(_url(aigerim_id))
        assert response.status_code == 200
        assert response["Content-Disposition"] == 'attachment; filename="id.png"'
        assert response["Content-Type"] == "image/png"


def test_an_administrator_downloads_it(client, admin_user, aigerim_id):
    client.force_login(admin_user)
    assert client.get(_url(aigerim_id)).status_code == 200


@pytest.mark.parametrize("who", ["timur", "serik", "marat", "bolat", "other_org"])
def test_anyone_else_gets_404(client, request, who, aigerim_cv, aigerim_id):
    person = request.getfixturevalue(who)
    if who == "other_org":
        person = person.memberships.first().user
    client.force_login(person)
    assert client.get(_url(aigerim_cv)).status_code == 404
    assert client.get(_url(aigerim_id)).status_code == 404


def test_anonymous_gets_404_not_a_sign_in_page(client, aigerim_cv):
    assert client.get(_url(aigerim_cv)).status_code == 404


def test_an_unknown_id_gets_404(client, aigerim):
    client.force_login(aigerim)
    assert client.get("/documents/00000000-0000-4000-8000-000000000000/").status_code == 404
    assert client.get("/documents/42/").status_code == 404


def test_an_employer_sees_a_cv_only_once_the_seeker_shared_contacts(
    client, bolat, bolat_org, aigerim, aigerim_cv, aigerim_id
):
    client.force_login(bolat)
    assert client.get(_url(aigerim_cv)).status_code == 404
    _share_contacts(aigerim.seeker_profile, bolat_org)
    assert client.get(_url(aigerim_cv)).status_code == 200
    # The identity document is the centre's business, never the employer's.
    assert client.get(_url(aigerim_id)).status_code == 404


def test_an_organisation_not_verified_sees_no_cv_even_with_shared_contacts(client, aigerim, aigerim_cv):
    pending = OrganisationFactory()
    member = OrganisationMembershipFactory(organisation=pending).user
    _share_contacts(aigerim.seeker_profile, pending)
    client.force_login(member)
    assert client.get(_url(aigerim_cv)).status_code == 404


def test_only_get_is_answered(client, aigerim, aigerim_cv):
    client.force_login(aigerim)
    assert client.post(_url(aigerim_cv)).status_code == 405


def test_visibility_query_count(aigerim, dana, aigerim_cv, django_assert_max_num_queries):
    user = UserFactory()
    with django_assert_max_num_queries(5):
        assert list(documents_visible_to(dana)) == [aigerim_cv]
    with django_assert_max_num_queries(4):
        assert list(documents_visible_to(user)) == []


# --- The seeker's CV file and the employer's candidate page --------------------------------


class TestCvFile:
    @pytest.fixture
    def seeker(self, aigerim):
        return SeekerProfileFactory(user=aigerim)

    def _cvs(self):
        return list(Document.objects.filter(kind=Document.Kind.CV))

    def test_upload_replace_and_delete(
        self, client, aigerim, seeker, documents_dir, django_capture_on_commit_callbacks
    ):
        client.force_login(aigerim)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post("/en/me/cv/", {"file": files.upload("Aigerim.pdf", files.PDF)})
        assert response.status_code == 302
        [first] = self._cvs()
        assert first.owner == aigerim and first.attached_to == seeker
        page = client.get("/en/me/cv/").content.decode()
        assert f"/documents/{first.public_id}/" in page and "Replace the CV file" in page

        with django_capture_on_commit_callbacks(execute=True):
            client.post("/en/me/cv/", {"file": files.upload("Aigerim.docx", files.docx())})
        [second] = self._cvs()
        assert second.original_name == "Aigerim.docx"
        assert [p.read_bytes() for p in stored_files(documents_dir)] == [files.docx()]

        with django_capture_on_commit_callbacks(execute=True):
            assert client.post("/en/me/cv/file/delete/").status_code == 302
        assert self._cvs() == [] and stored_files(documents_dir) == []
        actions = set(
            AuditEntry.objects.filter(action__startswith="document.").values_list("action", flat=True)
        )
        assert actions == {"document.uploaded", "document.removed"}

    def test_a_png_renamed_pdf_is_refused_beside_the_field(self, client, aigerim, seeker, documents_dir):
        client.force_login(aigerim)
        response = client.post("/en/me/cv/", {"file": files.upload("cv.pdf", files.png())})
        assert response.status_code == 200
        page = response.content.decode()
        assert 'id="id_file_error"' in page
        assert "This file is a PNG image, which is not accepted for this document." in page
        assert self._cvs() == [] and stored_files(documents_dir) == []

    def test_a_refused_replacement_keeps_the_old_file(self, client, aigerim, seeker, documents_dir):
        client.force_login(aigerim)
        client.post("/en/me/cv/", {"file": files.upload("cv.pdf", files.PDF)})
        client.post("/en/me/cv/", {"file": files.upload("cv.pdf", files.PDF_WITH_ZIP)})
        [kept] = self._cvs()
        assert kept.sha256 == hashlib.sha256(files.PDF).hexdigest()
        assert len(stored_files(documents_dir)) == 1

    def test_the_employer_sees_the_download_link_once_contacts_are_shared(
        self, client, bolat, bolat_org, aigerim, seeker
    ):
        cv = exchange.profile_cv_upload(profile=seeker, file=files.upload("cv.pdf", files.PDF), by=aigerim)
        vacancy = VacancyFactory(organisation=bolat_org)
        url = f"/en/employer/vacancies/{vacancy.id}/candidates/{seeker.id}/"
        client.force_login(bolat)
        page = client.get(url)
        assert page.status_code == 200 and f"/documents/{cv.public_id}/" not in page.content.decode()
        exchange.application_create(
            seeker=seeker, vacancy=vacancy, status=ApplicationStatus.APPLIED, by=aigerim
        )
        assert f"/documents/{cv.public_id}/" in client.get(url).content.decode()
        assert client.get(f"/documents/{cv.public_id}/").status_code == 200

    def test_the_hiring_board_card_offers_the_cv_of_an_applicant(
        self, client, bolat, bolat_org, aigerim, seeker
    ):
        cv = exchange.profile_cv_upload(
            profile=seeker, file=files.upload("cv.docx", files.docx()), by=aigerim
        )
        vacancy = VacancyFactory(organisation=bolat_org)
        application = exchange.application_create(
            seeker=seeker, vacancy=vacancy, status=ApplicationStatus.APPLIED, by=aigerim
        )
        client.force_login(bolat)
        page = client.get(f"/en/employer/applications/{application.id}/").content.decode()
        assert f"/documents/{cv.public_id}/" in page


def test_the_sweep_deletes_old_files_without_a_record_and_keeps_the_rest(aigerim, documents_dir):
    import datetime as dt
    import os

    from django_q.models import Schedule

    from mobility.core.documents.services import document_files_sweep
    from mobility.core.documents.storage import document_storage

    kept = document_upload(
        file=files.upload("cv.pdf", files.PDF), kind=Document.Kind.CV, owner=aigerim, by=aigerim
    )
    storage = document_storage()
    orphan = storage.save("ab/abababababababababababababababab.pdf", files.upload("x.pdf", files.PDF))
    fresh_orphan = storage.save("cd/cdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcd.pdf", files.upload("y.pdf", files.PDF))
    two_days_ago = (dt.datetime.now(tz=dt.UTC) - dt.timedelta(days=2)).timestamp()
    for name in (kept.storage_name, orphan):
        os.utime(storage.path(name), (two_days_ago, two_days_ago))
    assert document_files_sweep() == 1
    assert storage.exists(kept.storage_name) and storage.exists(fresh_orphan)
    assert not storage.exists(orphan)
    assert Schedule.objects.filter(
        func="mobility.core.documents.tasks.sweep_orphaned_document_files"
    ).exists()


def test_a_record_whose_file_is_gone_answers_404(client, aigerim, aigerim_cv, documents_dir):
    for path in stored_files(documents_dir):
        path.unlink()
    client.force_login(aigerim)
    assert client.get(_url(aigerim_cv)).status_code == 404
