"""Parameter types of the ``translate-articles`` flow, and the run form they make.

Prefect turns these annotations into the run form of the UI: ``Literal`` values become
drop-downs, the pydantic model below a small sub-form, and the ``title`` in each
``json_schema_extra`` the label a person reads (Prefect labels a flow parameter with its
Python name otherwise; a ``Field(title=…)`` inside ``Annotated`` is overridden by it, the
schema's own ``title`` key is not). The descriptions come from the flow's docstring.

No parameter is ``X | None``: the form would show a type switch ("Property is type None")
for it. Optional settings are strings whose empty value means "detect" or "the default";
:func:`blank_to_none` turns them back into ``None`` at the top of the flow.

Prefect 3's form draws every string as a one-line box the user can drag taller (there is
no schema hint for a bigger box: PrefectHQ/prefect#8447); pasted text keeps its line breaks.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from l10n.mt.engines.ct2 import DEVICES
from l10n.mt.engines.registry import engine_names, model_names
from l10n.run.ids import RUN_ID_PATTERN
from l10n.text.languages import TARGET_LANGUAGES

# The form's drop-downs are the registry's engines (and, per target language, the registered
# models) and the language and device lists.
if TYPE_CHECKING:  # the values are known at run time only; to a type checker they are text
    TargetLang = str
    EngineName = str
    PairEngineName = str
    DeviceName = str
else:
    TargetLang = Literal[TARGET_LANGUAGES]
    EngineName = Literal[engine_names()]
    # "" keeps the run's engine; auto decides per run, not per language. The registered
    # models are read when this module is imported: when the deployment is built (`l10n
    # serve`, `prefect deploy`) and again by each run, which validates its parameters.
    PairEngineName = Literal[
        (
            "",
            *(name for name in engine_names() if name != "auto"),
            *model_names(),
        )
    ]
    DeviceName = Literal[DEVICES]


def _label(title: str) -> dict[str, str]:
    return {"title": title}


class PastedArticle(BaseModel):
    """An article typed or pasted into the run form instead of read from a file."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, title="Pasted article")

    title: str = Field(
        description="The article's headline.",
        min_length=1,
        json_schema_extra={"title": "Headline", "position": 0},
    )
    body: str = Field(
        description=(
            "The article's text; leave a blank line between paragraphs. Drag the box's "
            "lower-right corner to make it taller."
        ),
        min_length=1,
        json_schema_extra={"title": "Article text", "position": 1},
    )


Pasted = Annotated[list[PastedArticle], Field(json_schema_extra=_label("Articles to translate"))]
Inputs = Annotated[list[str], Field(json_schema_extra=_label("Files, folders or web links"))]
Targets = Annotated[list[TargetLang], Field(json_schema_extra=_label("Translate into"))]
EngineOption = Annotated[EngineName, Field(json_schema_extra=_label("Translation engine"))]
JapaneseEngine = Annotated[
    PairEngineName, Field(json_schema_extra=_label("Engine for Japanese (empty: as above)"))
]
KoreanEngine = Annotated[
    PairEngineName, Field(json_schema_extra=_label("Engine for Korean (empty: as above)"))
]
RouteList = Annotated[
    list[str], Field(json_schema_extra=_label("Other engines for single language pairs"))
]
OutFolder = Annotated[str, Field(json_schema_extra=_label("Save results in"))]
GlossaryFile = Annotated[str, Field(json_schema_extra=_label("Name glossary"))]
SourceLang = Annotated[str, Field(json_schema_extra=_label("Language of the articles"))]
RunName = Annotated[
    str, Field(pattern=rf"^(|{RUN_ID_PATTERN})$", json_schema_extra=_label("Run name"))
]
"""Empty (a new run named after the Prefect run, see ``translate.run_name``) or a run id:
the form refuses a name such as "Nara summit" before the run starts, instead of the run
failing on it."""
Memory = Annotated[str, Field(json_schema_extra=_label("Translation memory"))]
RulesFile = Annotated[str, Field(json_schema_extra=_label("Site clean-up rules"))]
Threads = Annotated[int, Field(ge=0, json_schema_extra=_label("Model threads"))]
Beam = Annotated[int, Field(ge=1, le=16, json_schema_extra=_label("Beam size"))]
ComputeType = Annotated[str, Field(json_schema_extra=_label("Model precision (compute type)"))]
Device = Annotated[DeviceName, Field(json_schema_extra=_label("Processor for the model"))]
PrivateUrls = Annotated[bool, Field(json_schema_extra=_label("Fetch links into this network"))]
MaxInputMb = Annotated[int, Field(ge=1, json_schema_extra=_label("Largest file to read (MB)"))]


def blank_to_none(value: str | None) -> str | None:
    """A form's empty text ("detect", "the default") as ``None``; other text stripped."""
    if value is None:
        return None
    return value.strip() or None
