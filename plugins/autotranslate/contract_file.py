"""The contract on disk: the translation stage writes it once, every section run reads it.

One JSON file under the cache folder holds the build's ``BuildTranslations`` and the
digest of the stage's inputs. The driver gives each section run the file's path and
that digest (plain strings in its settings); a section that finds another digest in
the file stops, so no section is ever built from another build's translations.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from .contract import BuildTranslations, contract_data, contract_from_data
from .errors import StopBuild
from .storage import atomic_write

# The setting through which a section run finds the contract: {"path": ..., "digest": ...}.
CONTRACT_SETTING = "AUTOTRANSLATE_CONTRACT"
CONTRACT_NAME = "translation-contract.json"
# Bumped when the file's shape changes: an older file is never read as this one.
FORMAT = 1

# The contracts this process has read, by (path, digest): the article and page hooks
# of one run, and the runs of one process, read the file once.
_READ: dict[tuple[str, str], BuildTranslations] = {}


class ContractError(StopBuild):
    """The contract file is missing, damaged or from another build; the message says what to do."""


def contract_path(cache_path: str | Path) -> Path:
    """Return where a site with this CACHE_PATH keeps its translation contract."""
    return Path(cache_path) / CONTRACT_NAME


def save_contract(path: Path, translations: BuildTranslations, digest: str) -> None:
    """Write the contract atomically (a killed build leaves the old file or the new one)."""
    data = {"format": FORMAT, "digest": digest, "translations": contract_data(translations)}
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    atomic_write(path, text.encode("utf-8"))
    _READ[(str(path), digest)] = translations


def saved_contract(path: Path) -> tuple[str, BuildTranslations] | None:
    """Return (digest, translations) of the contract a build left, or None if there is none."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("format") == FORMAT:
            return str(data["digest"]), contract_from_data(data["translations"])
    except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError, AttributeError):
        pass  # none, or damaged: the stage makes it anew
    return None


def contract_setting(path: Path, digest: str) -> dict[str, str]:
    """Return the setting value that points a section run at this contract."""
    return {"path": str(path), "digest": digest}


def read_contract(setting: Mapping[str, Any]) -> BuildTranslations:
    """Return the contract the driver named in a section's settings (read once per process)."""
    path, digest = str(setting["path"]), str(setting["digest"])
    known = _READ.get((path, digest))
    if known is not None:
        return known
    rebuild = "Run `invoke build` again: its translation stage writes the file anew."
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ContractError(f"{path}: the translation contract is missing. {rebuild}") from None
    except (OSError, UnicodeDecodeError, ValueError) as error:
        raise ContractError(
            f"{path}: the translation contract cannot be read ({error}). {rebuild}"
        ) from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ContractError(f"{path}: the translation contract is of another version. {rebuild}")
    if data.get("digest") != digest:
        raise ContractError(
            f"{path}: the translation contract is another build's (it was rewritten while "
            f"this build ran, or by another build). {rebuild}"
        )
    try:
        translations = contract_from_data(data["translations"])
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        raise ContractError(
            f"{path}: the translation contract is damaged ({type(error).__name__}: {error}). "
            f"{rebuild}"
        ) from None
    _READ[(path, digest)] = translations
    return translations
