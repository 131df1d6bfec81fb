"""The YAML examples in the authoring guide parse: instructors copy them into quiz files."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

GUIDE = Path(__file__).resolve().parents[1] / "docs" / "authoring.md"
BLOCKS = re.findall(r"```yaml\n(.*?)```", GUIDE.read_text(encoding="utf-8"), flags=re.DOTALL)


def test_the_guide_has_yaml_examples() -> None:
    assert len(BLOCKS) >= 5


@pytest.mark.parametrize("block", BLOCKS, ids=[f"example-{i + 1}" for i in range(len(BLOCKS))])
def test_every_yaml_example_in_the_authoring_guide_parses(block: str) -> None:
    # A line holding only "..." stands for fields left out of the example.
    text = "\n".join(line for line in block.splitlines() if line.strip() != "...")
    yaml.safe_load(text)
