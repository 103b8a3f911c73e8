"""An encrypted PDF draft: `check-policy --password` opens it, and without the password both the
CLI and the Policy check page say so, naming the file the user gave, not a temporary path."""

from io import BytesIO
from pathlib import Path

from click.testing import CliRunner
from pypdf import PdfReader, PdfWriter

from assistant.cli.main import main
from assistant.settings import Settings
from evals.pdf_render import build_pdf
from tests.test_app import app, app_env  # noqa: F401  (fixture)

DRAFT = [["1. Customer due diligence",
          "1.1 The Firm performs customer due diligence before it establishes a business relationship.",
          "2. Records",
          "2.1 The Firm keeps its customer due diligence records for at least six years."]]  # fmt: skip


def locked_draft(password: str = "s3cret") -> bytes:
    writer = PdfWriter(clone_from=PdfReader(BytesIO(build_pdf(DRAFT))))
    writer.encrypt(user_password=password, owner_password=password + "-owner", algorithm="AES-256")
    buf = BytesIO()
    writer.write(buf)
    return buf.getvalue()


def test_check_policy_password(app_env: Settings, tmp_path: Path) -> None:  # noqa: F811
    path = tmp_path / "locked draft.pdf"
    path.write_bytes(locked_draft())

    def check(*args: str):  # type: ignore[no-untyped-def]
        return CliRunner().invoke(main, ["check-policy", str(path), "--rulebook", "AML", *args,
                                         "--data-dir", str(app_env.data_dir)])  # fmt: skip

    res = check()
    assert res.exit_code == 1
    assert "locked draft.pdf: encrypted PDF (password required)" in res.stderr
    assert "--password" in res.stderr and "ingest again" not in res.stderr
    wrong = check("--password", "nope")
    assert wrong.exit_code == 1 and "wrong password" in wrong.stderr
    right = check("--password", "s3cret", "--format", "json")
    assert right.exit_code == 0, right.output
    assert '"findings"' in right.stdout


def test_policy_page_names_the_upload_and_takes_a_password(app_env: Settings) -> None:  # noqa: F811
    at = app()
    at.switch_page("ui/policy.py").run()
    at.file_uploader(key="policy_upload").set_value(
        [("locked draft.pdf", locked_draft(), "application/pdf")]
    ).run()
    at.button(key="policy_run").click().run()
    assert not at.exception
    (error,) = at.error  # shown on the page, not only inside the collapsed status panel
    assert error.value.startswith("locked draft.pdf: encrypted PDF (password required)")
    assert "password" in error.value.split("\n\n", 1)[1]
    assert "regassist-policy" not in error.value and "ingest again" not in error.value
    at.text_input(key="policy_password").set_value("s3cret").run()
    at.button(key="policy_run").click().run()
    assert not at.exception and not at.error
    assert at.session_state["policy_report"].draft == "locked draft.pdf"


def test_no_password_field_for_a_markdown_draft(app_env: Settings) -> None:  # noqa: F811
    at = app()
    at.switch_page("ui/policy.py").run()
    at.file_uploader(key="policy_upload").set_value(
        [("draft.md", b"# Draft\n", "text/markdown")]
    ).run()
    assert not [t for t in at.text_input if t.key == "policy_password"]
