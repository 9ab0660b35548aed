"""The typed run form, `l10n serve`'s server check and pasted articles."""

from __future__ import annotations

import inspect
import json
import os
import socket
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import get_args

import pydantic
import pytest
from conftest import GLOSSARY, ROOT

from l10n.articles.read import article_from_text
from l10n.cli.translate_cmd import translate
from l10n.flow.params import EngineName, PastedArticle, TargetLang
from l10n.flow.serve import ServerUnavailable, build_deployment, check_server, deployment_parameters
from l10n.flow.translate import translate_articles
from l10n.mt.engines.registry import engine_names
from l10n.paths import DEFAULT_GLOSSARY
from l10n.pipeline.run import pasted_articles
from l10n.text.languages import TARGET_LANGUAGES as TARGET_LANGS

L10N = Path(sys.executable).with_name("l10n")


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def schema() -> dict:
    return translate_articles.parameters.model_dump()


def test_form_offers_only_supported_choices(schema: dict) -> None:
    props = schema["properties"]
    assert props["targets"]["items"]["enum"] == list(TARGET_LANGS)
    assert props["engine"]["enum"] == list(engine_names())
    assert get_args(TargetLang) == TARGET_LANGS
    assert get_args(EngineName) == engine_names()
    assert schema["required"] == []  # pasted text alone, or files alone, is a valid run


def test_form_is_ordered_and_labelled_for_a_person(schema: dict) -> None:
    props = schema["properties"]
    order = sorted(props, key=lambda name: props[name]["position"])
    assert order[:4] == ["pasted", "inputs", "targets", "engine"]
    labels = {name: prop["title"] for name, prop in props.items()}
    assert labels["pasted"] == "Articles to translate"
    assert labels["engine"] == "Translation engine"
    # Every label is words for a person, not the Python name.
    assert all(label != name and "_" not in label for name, label in labels.items())
    pasted = schema["definitions"]["PastedArticle"]["properties"]
    assert sorted(pasted, key=lambda n: pasted[n]["position"]) == ["title", "body"]
    assert [pasted[n]["title"] for n in ("title", "body")] == ["Headline", "Article text"]
    text = json.dumps(schema)
    assert "worker" not in text.lower() and "on this machine" in props["inputs"]["description"]


def test_form_has_no_none_toggles(schema: dict) -> None:
    """A ``X | None`` parameter shows a type switch ("Property is type None") in the form."""
    for name, prop in schema["properties"].items():
        kinds = [option.get("type") for option in prop.get("anyOf", [])]
        assert "null" not in kinds and prop.get("default", "") is not None, name


def test_empty_optional_fields_mean_detect_or_default() -> None:
    from l10n.flow.params import blank_to_none

    assert [blank_to_none(v) for v in ("", "  ", None, " en ")] == [None, None, None, "en"]
    validated = translate_articles.validate_parameters({"source_lang": "", "memory": ""})
    assert validated["source_lang"] == "" and validated["run_id"] == ""


def test_every_parameter_is_described(schema: dict) -> None:
    props = schema["properties"]
    undescribed = [name for name, prop in props.items() if not prop.get("description")]
    assert undescribed == []
    pasted = schema["definitions"]["PastedArticle"]
    assert pasted["required"] == ["title", "body"]
    assert all(prop.get("description") for prop in pasted["properties"].values())


def test_prefect_deploy_reads_the_same_form_from_source(schema: dict) -> None:
    # `prefect deploy` builds the form from the file without importing the flow.
    from prefect.utilities.callables import parameter_schema_from_entrypoint

    from_source = parameter_schema_from_entrypoint(
        str(ROOT / "l10n" / "flow" / "translate.py") + ":translate_articles"
    ).model_dump()
    assert from_source["properties"] == schema["properties"]
    assert from_source["definitions"] == schema["definitions"]


def test_flow_defaults_match_the_cli() -> None:
    flow_defaults = {
        name: p.default
        for name, p in inspect.signature(translate_articles.fn).parameters.items()
        if p.default is not inspect.Parameter.empty
    }
    cli_defaults = {p.name: p.default for p in translate.params}
    assert flow_defaults["targets"] == cli_defaults["targets"].split(",")
    for name in ("glossary", "engine", "out"):
        assert flow_defaults[name] == cli_defaults[name], name
    # The form's empty text is the command line's unset option.
    for name in ("source_lang", "run_id", "memory", "boilerplate_rules"):
        assert flow_defaults[name] == "" and cli_defaults[name] is None, name


def test_deployment_defaults_pass_the_flow_validation(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # serving from outside the checkout
    params = deployment_parameters("pseudo", "outputs", DEFAULT_GLOSSARY)
    assert params["out"] == str(tmp_path / "outputs")
    assert Path(params["glossary"]).is_file()
    validated = translate_articles.validate_parameters(params)
    assert validated["engine"] == "pseudo"
    assert validated["inputs"] == []
    remote = deployment_parameters("pseudo", "s3://team-bucket/runs", DEFAULT_GLOSSARY)
    assert remote["out"] == "s3://team-bucket/runs"


def test_deployment_describes_itself() -> None:
    deployment = build_deployment("editor", engine="auto", out="outputs", glossary=str(GLOSSARY))
    assert deployment.name == "editor"
    assert deployment.description
    assert "l10n" in deployment.tags
    assert deployment.parameters["engine"] == "auto"
    assert deployment.entrypoint == "l10n.flow.translate.translate_articles"


def test_form_rejects_unknown_engine_and_target() -> None:
    from prefect.exceptions import ParameterTypeError

    with pytest.raises(ParameterTypeError):
        translate_articles.validate_parameters({"inputs": [], "engine": "google"})
    with pytest.raises(ParameterTypeError):
        translate_articles.validate_parameters({"inputs": [], "targets": ["fr"]})


def test_pasted_article_needs_title_and_body() -> None:
    with pytest.raises(pydantic.ValidationError):
        PastedArticle(title="Headline", body="   ")
    with pytest.raises(pydantic.ValidationError):
        PastedArticle.model_validate({"title": "T", "body": "B", "lang": "en"})


def test_pasted_ids_never_collide() -> None:
    taken = {article_from_text("Nara summit", "From a file.").id.lower()}
    pasted = [
        PastedArticle(title="Nara summit", body="One."),
        PastedArticle(title="nara SUMMIT", body="Two."),
    ]
    articles = pasted_articles(pasted, taken)
    assert [a.id for a in articles] == ["Nara-summit-2", "nara-SUMMIT-3"]
    assert [a.paragraphs for a in articles] == [["One."], ["Two."]]


def test_pasted_articles_are_translated_with_the_inputs(
    prefect_harness: None, tmp_path: Path
) -> None:
    story = tmp_path / "in" / "summit.txt"
    story.parent.mkdir()
    story.write_text(
        "Nara hosts summit\n\nPrime Minister Sanae Takaichi welcomed President "
        "Lee Jae Myung to Nara on Tuesday.\n",
        "utf-8",
    )
    body = (
        "Sanae Takaichi arrived in Seoul on Monday evening.\n\n"
        "She will meet Lee Jae Myung for talks on trade."
    )
    translate_articles(
        inputs=[str(story.parent)],
        # As the UI sends it: plain JSON, validated into PastedArticle by Prefect.
        pasted=[{"title": "Takaichi lands in Seoul", "body": body}],
        engine="pseudo",
        glossary=str(GLOSSARY),
        out=str(tmp_path / "out"),
        run_id="pasted-run",
        return_state=True,
    )
    run_dir = tmp_path / "out" / "pasted-run"
    summary = json.loads((run_dir / "run.json").read_text("utf-8"))
    done = {d["id"]: d["input"] for d in summary["articles"]["done"]}
    assert done == {"summit": str(story), "Takaichi-lands-in-Seoul": "pasted"}
    article = run_dir / "Takaichi-lands-in-Seoul"
    source = (article / "source.txt").read_text("utf-8").strip().split("\n\n")
    assert source[0] == "Takaichi lands in Seoul"
    assert source[1:3] == [
        "Sanae Takaichi arrived in Seoul on Monday evening.",
        "She will meet Lee Jae Myung for talks on trade.",
    ]
    manifest = json.loads((article / "manifest.json").read_text("utf-8"))
    assert manifest["engine"]["name"] == "pseudo"
    assert set(manifest["targets"]) == {"ja", "ko"}
    assert (article / "ko.txt").read_text("utf-8").startswith("# PSEUDO-LOCALIZED")


def run_serve(env_changes: dict[str, str | None]) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    for key, value in env_changes.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    return subprocess.run(
        [str(L10N), "serve"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_serve_without_server_exits_2_with_how_to() -> None:
    url = f"http://127.0.0.1:{closed_port()}/api"
    result = run_serve({"PREFECT_API_URL": url})
    assert result.returncode == 2, result.stderr
    message = " ".join(result.stderr.split())
    assert f"no Prefect server answers at {url}" in message
    assert "make server" in message
    assert "export PREFECT_API_URL=http://127.0.0.1:4200/api" in message


def test_serve_without_api_url_exits_2_with_how_to() -> None:
    # Only without the local server: by default `l10n serve` starts and uses it
    # (tests/test_local_server.py).
    result = run_serve({"PREFECT_API_URL": None, "L10N_PREFECT_SERVER": "ephemeral"})
    assert result.returncode == 2, result.stderr
    message = " ".join(result.stderr.split())
    assert "PREFECT_API_URL is not set" in message
    assert "make server" in message


def test_serve_with_broken_glossary_exits_2(tmp_path: Path) -> None:
    env = dict(os.environ, PREFECT_API_URL=f"http://127.0.0.1:{closed_port()}/api")
    result = subprocess.run(
        [str(L10N), "serve", "--glossary", str(tmp_path / "missing.yaml")],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 2
    assert "missing.yaml" in result.stderr


class _NotPrefect(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        self.send_response(404)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


def test_check_server_rejects_a_url_that_is_not_a_prefect_api() -> None:
    server = HTTPServer(("127.0.0.1", 0), _NotPrefect)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_port}"
        with pytest.raises(ServerUnavailable, match=r"HTTP 404.*ends in /api"):
            check_server(url)
    finally:
        server.shutdown()
        server.server_close()


FORM_PROBE = """
import json, sys
from l10n.flow.serve import build_deployment
from l10n.flow.translate import translate_articles

deployment = build_deployment("editor", engine="auto", out="outputs", glossary=sys.argv[1])
props = deployment._parameter_openapi_schema.properties
accepted = translate_articles.validate_parameters({"inputs": [], "engine_ko": sys.argv[2]})
print(json.dumps({"ja": props["engine_ja"]["enum"], "ko": props["engine_ko"]["enum"],
                  "engine": props["engine"]["enum"], "accepted": accepted["engine_ko"]}))
"""


@pytest.mark.slow
def test_the_per_language_drop_downs_list_registered_models(tmp_path: Path) -> None:
    """Built when the deployment is: a model registered before `l10n serve` is offered by name,
    and the run (which imports the flow afresh) accepts it."""
    from modelkit import build_ct2_model
    from prefect.exceptions import ParameterTypeError

    from l10n.mt.engines.ct2store import add_model

    store = tmp_path / "models"
    add_model(build_ct2_model(tmp_path / "built", "quickmt", "en", "ko"), models_dir=store)
    env = {**os.environ, "L10N_MODELS_DIR": str(store)}
    probe = [sys.executable, "-c", FORM_PROBE, str(GLOSSARY), "quickmt-en-ko"]
    done = subprocess.run(probe, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout)
    families = [name for name in engine_names() if name != "auto"]
    assert found["ja"] == found["ko"] == ["", *families, "quickmt-en-ko"]
    assert found["engine"] == list(engine_names())  # the run's engine: families only
    assert found["accepted"] == "quickmt-en-ko"
    # This process imported the flow with no model of that name: families alone, name refused.
    props = translate_articles.parameters.model_dump()["properties"]
    assert "quickmt-en-ko" not in props["engine_ko"]["enum"]
    assert props["engine_ko"]["enum"][: len(families) + 1] == ["", *families]
    with pytest.raises(ParameterTypeError):
        translate_articles.validate_parameters({"inputs": [], "engine_ko": "quickmt-en-ko"})
