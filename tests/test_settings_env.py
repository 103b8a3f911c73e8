"""A ``REGASSIST_`` variable no setting reads is reported (the settings ignore it silently)."""

from pathlib import Path

import pytest
from click.testing import CliRunner

from assistant.cli.main import main
from assistant.settings import Settings, env_names, load_settings, unknown_env


def test_every_setting_and_nested_field_is_known() -> None:
    names = env_names()
    assert {"REGASSIST_DATA_DIR", "REGASSIST_LLM__BASE_URL", "REGASSIST_LLM",
            "REGASSIST_CHUNKING__MAX_CHARS", "REGASSIST_RETRIEVAL__DEFAULT_KINDS",
            "REGASSIST_JUDGE__API_KEY", "REGASSIST_OBLIQA_DIR"} <= names  # fmt: skip
    for field in Settings.model_fields:
        assert f"REGASSIST_{field.upper()}" in names


def test_misspelt_names_are_reported_with_the_name_they_resemble() -> None:
    lines = unknown_env({
        "REGASSIST_LLM_BASE_URL": "http://localhost:11434/v1",  # one underscore: ignored
        "regassist_data_dir": "/tmp/x",  # settings read names without regard to case
        "REGASSIST_DAT_DIR": "/tmp/x",
        "REGASSIST_SOMETHING_ELSE": "1",
        "PATH": "/usr/bin",
    })  # fmt: skip
    assert lines == [
        "REGASSIST_DAT_DIR is not a regassist setting (did you mean REGASSIST_DATA_DIR?); it is ignored",
        "REGASSIST_LLM_BASE_URL is not a regassist setting (did you mean REGASSIST_LLM__BASE_URL?); "
        "it is ignored",
        "REGASSIST_SOMETHING_ELSE is not a regassist setting; it is ignored",
    ]


def test_the_names_reported_known_are_the_names_settings_read(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The list is made from the settings model, so a name it calls known is one pydantic reads."""
    monkeypatch.setenv("REGASSIST_LLM__BASE_URL", "http://localhost:11434/v1")
    monkeypatch.setenv("regassist_answer__top_k", "9")
    s = load_settings()
    assert s.llm.base_url == "http://localhost:11434/v1" and s.answer.top_k == 9
    assert unknown_env({"REGASSIST_LLM__BASE_URL": "x", "regassist_answer__top_k": "9"}) == []


def test_the_cli_warns_on_stderr_and_still_runs(tmp_path: Path) -> None:
    env = {"REGASSIST_LLM_MODEL": "llama3", "REGASSIST_DATA_DIR": str(tmp_path / "d")}
    r = CliRunner().invoke(main, ["docs"], env=env)
    assert r.exit_code == 1 and "error: no index in" in r.stderr, r.output  # the command still ran
    assert ("warning: REGASSIST_LLM_MODEL is not a regassist setting "
            "(did you mean REGASSIST_LLM__MODEL?); it is ignored") in r.stderr  # fmt: skip
    assert "REGASSIST_DATA_DIR" not in r.stderr
