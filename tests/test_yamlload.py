"""Safe, located YAML loading."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from triggersync.config import yamlload

BOMB = "\n".join(
    [
        'a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]',
        *(
            f"{n}: &{n} [{', '.join([f'*{p}'] * 9)}]"
            for p, n in zip("abcdefgh", "bcdefghi", strict=True)
        ),
    ]
)


def _load(tmp_path: Path, text: str | bytes) -> yamlload.Document:
    path = tmp_path / "chat.yaml"
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return yamlload.load(path)


def _problem(tmp_path: Path, text: str | bytes) -> yamlload.Problem:
    with pytest.raises(yamlload.LoadError) as caught:
        _load(tmp_path, text)
    return caught.value.problem


def test_locate_finds_every_mapping_and_list_item(tmp_path: Path) -> None:
    doc = _load(tmp_path, "triggers:\n  - name: A\n  - name: B\n    enabled: maybe\n")
    assert yamlload.locate(doc.root, ("triggers", 0)) == (2, 5)
    assert yamlload.locate(doc.root, ("triggers", 1)) == (3, 5)
    assert yamlload.locate(doc.root, ("triggers", 1, "enabled")) == (4, 14)


def test_locate_points_at_a_key_when_asked(tmp_path: Path) -> None:
    doc = _load(tmp_path, "triggers:\n  - name: A\n    enabled: maybe\n")
    assert yamlload.locate(doc.root, ("triggers", 0, "enabled"), key=True) == (3, 5)


def test_locate_falls_back_to_the_deepest_existing_node(tmp_path: Path) -> None:
    doc = _load(tmp_path, "triggers:\n  - description: x\n")
    assert yamlload.locate(doc.root, ("triggers", 0, "name")) == (2, 5)


def test_locate_follows_merge_keys(tmp_path: Path) -> None:
    doc = _load(tmp_path, "a: &a {name: A}\nb:\n  <<: *a\n  enabled: true\n")
    assert doc.data["b"] == {"name": "A", "enabled": True}
    assert yamlload.locate(doc.root, ("b", "name")) == (1, 14)


def test_explicit_keys_win_over_merged_ones(tmp_path: Path) -> None:
    doc = _load(tmp_path, "a: &a {name: A, enabled: false}\nb: {<<: *a, name: B}\n")
    assert doc.data["b"] == {"name": "B", "enabled": False}


def test_alias_bomb_is_refused_by_the_expansion_bound(tmp_path: Path) -> None:
    # The bound stops the expansion early: the count reported is just past the limit, far
    # below the billion values the file would expand to (no timing assert needed).
    problem = _problem(tmp_path, BOMB)
    expanded = int(re.search(r"aliases expand to over (\d+) values", problem.message)[1])
    assert expanded < 10 * yamlload.MAX_ALIAS_EXPANSION


def test_modest_alias_reuse_is_fine(tmp_path: Path) -> None:
    doc = _load(tmp_path, "d: &d [1, 2]\nx: [*d, *d, *d]\n")
    assert doc.data["x"] == [[1, 2]] * 3


def test_recursive_alias_is_rejected(tmp_path: Path) -> None:
    assert "recursive alias" in _problem(tmp_path, "a: &a [*a]\n").message


def test_object_tag_is_rejected_at_its_place(tmp_path: Path) -> None:
    problem = _problem(tmp_path, 'x:\n  - !!python/object/apply:os.system ["echo"]\n')
    assert (problem.line, problem.col, problem.path) == (2, 5, "x[0]")
    assert "'!!python/object/apply:os.system' is not allowed" in problem.message


def test_set_tag_is_rejected(tmp_path: Path) -> None:
    assert "'!!set' is not allowed" in _problem(tmp_path, "x: !!set {a, b}\n").message


def test_non_utf8_is_reported_at_line_1(tmp_path: Path) -> None:
    problem = _problem(tmp_path, b"a: 1\nb: caf\xe9\n")
    assert (problem.line, problem.col) == (1, 1)
    assert problem.message.startswith("not valid UTF-8 (byte 0xe9 on line 2)")


def test_syntax_error_has_the_marker_place(tmp_path: Path) -> None:
    problem = _problem(tmp_path, "a: [1, 2\nb: 3\n")
    assert problem.line == 2
    assert problem.message.startswith("YAML syntax error:")


def test_two_documents_are_an_error(tmp_path: Path) -> None:
    assert "single document" in _problem(tmp_path, "a: 1\n---\nb: 2\n").message


def test_duplicate_key_is_an_error(tmp_path: Path) -> None:
    problem = _problem(tmp_path, "name: A\nname: B\n")
    assert (problem.line, problem.message) == (2, "duplicate key 'name' in this mapping")


def test_oversized_file_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(yamlload, "MAX_FILE_BYTES", 10)
    assert "the limit is" in _problem(tmp_path, "name: something longer\n").message


def test_deep_nesting_is_refused(tmp_path: Path) -> None:
    assert "nested deeper than 64" in _problem(tmp_path, "[" * 70 + "]" * 70).message


def test_scalars_keep_json_meaning(tmp_path: Path) -> None:
    doc = _load(tmp_path, "[yes, false, 0x1F, -3, 012, 1.5, ~, 2024-01-01, '1', 10]")
    assert doc.data == [True, False, 31, -3, 10, 1.5, None, "2024-01-01", "1", 10]


def test_empty_and_comment_only_files_have_no_data(tmp_path: Path) -> None:
    assert _load(tmp_path, "# nothing here\n").data is None


def test_format_path() -> None:
    assert yamlload.format_path(("triggers", 3, "definition", "actions", 0)) == (
        "triggers[3].definition.actions[0]"
    )


def test_an_unclosed_quote_is_reported_where_it_opens(tmp_path: Path) -> None:
    text = 'triggers:\n  - name: "Unclosed\n    description: x\n  - name: B\n'
    problem = _problem(tmp_path, text)
    assert (problem.line, problem.col) == (2, 11)
    assert problem.message == (
        "YAML syntax error: this quoted string is never closed (found unexpected end of "
        "stream at line 5); close it with the same quote"
    )
