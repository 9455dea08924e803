"""The canonical layout (docs/configuration.md#layout): what `fmt` writes and export starts from."""

from __future__ import annotations

import pytest
import yaml

from triggersync.engine.canonical import WIDTH, LayoutError, canonical_text


def same_data(before: str, after: str) -> bool:
    return bool(yaml.safe_load(before) == yaml.safe_load(after))


def test_keys_are_put_in_the_canonical_order() -> None:
    text = (
        "triggers:\n"
        "- definition:\n"
        "    actions: [[addTag, x]]\n"
        "    condition: [and]\n"
        "    event: chat_requested\n"
        "  enabled: false\n"
        "  renamed_from: Old\n"
        "  name: A\n"
        "  description: d\n"
        "ignore: [Legacy*]\n"
    )
    assert canonical_text(text) == (
        "ignore:\n"
        "  - Legacy*\n"
        "\n"
        "triggers:\n"
        "  - name: A\n"
        "    description: d\n"
        "    enabled: false\n"
        "    definition:\n"
        "      event: chat_requested\n"
        "      condition: [and]\n"
        "      actions:\n"
        "        - [addTag, x]\n"
        "    renamed_from: Old\n"
    )


def test_unknown_keys_follow_the_known_ones_in_the_order_written() -> None:
    text = "triggers:\n  - zeta: 1\n    name: A\n    alpha: 2\n"
    assert canonical_text(text) == "triggers:\n  - name: A\n    zeta: 1\n    alpha: 2\n"


def test_a_blank_line_parts_two_triggers() -> None:
    assert canonical_text("triggers:\n- name: A\n- name: B\n") == (
        "triggers:\n  - name: A\n\n  - name: B\n"
    )


def test_a_condition_that_fits_is_written_on_one_line() -> None:
    text = (
        "triggers:\n- name: A\n  definition:\n    condition:\n"
        "    - and\n    - - eq\n      - '@x'\n      - US\n"
    )
    assert "      condition: [and, [eq, '@x', US]]\n" in canonical_text(text)


def test_a_condition_too_long_for_one_line_is_written_one_element_per_line() -> None:
    operands = ", ".join(f'[eq, "@visitor_country_code", C{i}]' for i in range(4))
    text = f"triggers:\n- name: A\n  definition:\n    condition: [or, {operands}]\n"
    out = canonical_text(text)
    assert "      condition:\n        - or\n" in out
    assert '        - [eq, "@visitor_country_code", C3]\n' in out
    assert all(len(line) <= WIDTH for line in out.splitlines())


def test_an_element_too_long_for_its_line_is_split_again() -> None:
    long = "x" * 90
    text = f"triggers:\n- name: A\n  definition:\n    condition: [and, [eq, '@m', {long}]]\n"
    assert canonical_text(text).endswith(
        f"      condition:\n        - and\n        - - eq\n          - '@m'\n          - {long}\n"
    )


def test_actions_are_one_per_line_even_when_they_would_fit_on_one() -> None:
    text = "triggers:\n- name: A\n  definition:\n    actions: [[addTag, a], [addTag, b]]\n"
    assert canonical_text(text).endswith(
        "      actions:\n        - [addTag, a]\n        - [addTag, b]\n"
    )


def test_comments_above_a_key_move_with_it() -> None:
    text = "triggers:\n- description: d\n  # the name\n  name: A\n"
    assert canonical_text(text) == "triggers:\n  # the name\n  - name: A\n    description: d\n"


def test_a_comment_at_the_end_of_a_line_stays_with_its_value() -> None:
    text = "triggers:\n- enabled: false   # not yet\n  name: A\n"
    assert canonical_text(text) == "triggers:\n  - name: A\n    enabled: false  # not yet\n"


def test_a_comment_inside_a_list_keeps_the_list_one_element_per_line() -> None:
    text = (
        "triggers:\n- name: A\n  definition:\n    condition:\n    - and\n"
        "    # why US\n    - [eq, '@x', US]  # and why eq\n"
    )
    assert canonical_text(text).endswith(
        "      condition:\n        - and\n"
        "        # why US\n        - [eq, '@x', US]  # and why eq\n"
    )


def test_the_comments_before_the_first_key_stay_at_the_top() -> None:
    text = "# yaml-language-server: $schema=x.json\n#\ntriggers: []\nignore: []\n"
    assert (
        canonical_text(text)
        == "# yaml-language-server: $schema=x.json\n#\nignore: []\n\ntriggers: []\n"
    )


def test_a_hash_inside_a_string_is_no_comment() -> None:
    text = "triggers:\n- name: 'A # B'\n  description: \"#1\"\n"
    assert canonical_text(text) == text.replace("- name", "  - name").replace(
        "\n  desc", "\n    desc"
    )


def test_values_are_kept_as_written() -> None:
    text = (
        "triggers:\n"
        '  - name: "1"\n'
        "    description: 'true'\n"
        "    enabled: 1\n"
        "    definition:\n"
        "      actions:\n        - [sendMessageToVisitor, \"${DEPT}\", '${GREETING}']\n"
        "    renamed_from: ${OLD}\n"
    )
    assert canonical_text(text) == text


def test_a_plain_string_a_one_line_list_cannot_hold_is_quoted_there() -> None:
    text = (
        "triggers:\n- name: A\n  definition:\n    condition:\n"
        "    - eq\n    - '@x'\n    - a, b [c]\n"
    )
    out = canonical_text(text)
    assert "      condition: [eq, '@x', \"a, b [c]\"]\n" in out
    assert same_data(text, out)


def test_a_multi_line_string_is_re_indented_with_its_key() -> None:
    text = "triggers:\n- name: A\n  description: |\n    line one\n      indented\n\n    three\n"
    out = canonical_text(text)
    assert out == (
        "triggers:\n  - name: A\n    description: |\n      line one\n        indented\n\n"
        "      three\n"
    )
    assert same_data(text, out)


def test_laying_out_twice_changes_nothing_more() -> None:
    text = "ignore: [a]\ntriggers:\n- {name: A, definition: {condition: [and, [x]]}}  # c\n"
    once = canonical_text(text)
    assert canonical_text(once) == once


def test_anchors_and_aliases_are_kept() -> None:
    text = (
        "triggers:\n  - name: A\n    definition: &d\n      event: x\n\n"
        "  - name: B\n    definition: *d\n"
    )
    assert canonical_text(text) == text


def test_windows_line_ends_become_newlines() -> None:
    assert canonical_text("triggers:\r\n  - name: A\r\n") == "triggers:\n  - name: A\n"


def test_a_file_of_only_comments_is_left_as_it_is() -> None:
    assert canonical_text("# nothing yet\n") == "# nothing yet\n"


def test_nesting_deeper_than_the_bound_is_an_error_not_a_crash() -> None:
    with pytest.raises(LayoutError, match="nested deeper than"):
        canonical_text("a: " + "[" * 200 + "]" * 200 + "\n")


def test_a_key_order_that_would_put_an_alias_above_its_anchor_is_refused() -> None:
    text = "base: &b {enabled: false}\ntriggers:\n- <<: *b\n  name: A\n"
    with pytest.raises(LayoutError, match=r"would put \*b before &b"):
        canonical_text(text)


def test_a_byte_order_mark_is_dropped() -> None:
    assert canonical_text("\ufefftriggers: []\n") == "triggers: []\n"


def test_a_plain_string_starting_like_an_indicator_is_quoted_in_a_one_line_list() -> None:
    text = (
        "triggers:\n- name: A\n  definition:\n    condition:\n"
        "    - eq\n    - ?0\n    - -x\n    - -5\n"
    )
    assert '      condition: [eq, "?0", "-x", -5]\n' in canonical_text(text)
