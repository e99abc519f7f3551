"""Loading leanengine.yaml with positions.

PyYAML's composed node graph keeps every key's and item's line and column; the data is constructed
from it with the safe constructor only (no `!!python/...` objects). The graph is composed without
recursion (PyYAML's composer recurses once per level), refusing nesting deeper than MAX_DEPTH and
recursive documents (`&a [*a]`, which PyYAML builds as a list containing itself). Before anything
walks the data, the expanded size of the alias graph is computed, so a "billion laughs" file is
refused in microseconds instead of being expanded by a validator. Whatever the text, load_yaml
returns a document, with the reason in `problems` (one line each) when it could not be loaded.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

from analyzer.types import Span

#: Nodes the document may expand to, counting each alias as a copy of its target.
MAX_EXPANDED_NODES = 100_000
#: Collections nested deeper than this are refused (leanengine.yaml needs 4 levels).
MAX_DEPTH = 64
#: leanengine.yaml files larger than this are not read (the real ones are well under 4 KiB; PyYAML,
#: pure Python, takes seconds per 100 KiB).
MAX_YAML_BYTES = 64 * 1024


@dataclass
class YamlProblem:
    span: Span
    message: str


@dataclass
class YamlDocument:
    """`data` is None when the file could not be loaded; `problems` then says why (LE301)."""

    text: str
    node: yaml.Node | None = None
    data: Any = None
    problems: list[YamlProblem] = field(default_factory=list)
    #: (key, first span, repeated span) for each key given twice in one mapping.
    duplicates: list[tuple[str, Span, Span]] = field(default_factory=list)

    def span_of(self, path: tuple[Any, ...], *, key: bool = True) -> Span:
        """The position of the item at a JSON path: the key's position for mapping entries (`key`),
        else the value's. Walks as far as the path exists; the file start if nothing does."""
        node = self.node
        best = Span(1, 1, 1, 1)
        if node is None:
            return best
        best = node_span(node)
        for index, part in enumerate(path):
            last = index == len(path) - 1
            if isinstance(node, yaml.MappingNode):
                found = None
                for k, v in node.value:
                    if isinstance(k, yaml.ScalarNode) and k.value == str(part):
                        found = (k, v)  # a repeated key: the last one wins, as in the data
                if found is None:
                    return best
                best = node_span(found[0] if (last and key) else found[1])
                node = found[1]
            elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
                node = node.value[part]
                best = node_span(node)
            else:
                return best
        return best

    def value_node(self, path: tuple[Any, ...]) -> yaml.Node | None:
        node = self.node
        for part in path:
            if isinstance(node, yaml.MappingNode):
                match = [v for k, v in node.value if isinstance(k, yaml.ScalarNode) and k.value == str(part)]
                if not match:
                    return None
                node = match[-1]
            elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
                node = node.value[part]
            else:
                return None
        return node


def node_span(node: yaml.Node) -> Span:
    start, end = node.start_mark, node.end_mark
    if end.line == start.line and end.column > start.column:
        return Span(start.line + 1, start.column + 1, end.line + 1, end.column + 1)
    # Multi-line values: point at the first line only, which is what a reader looks for.
    return Span(start.line + 1, start.column + 1, start.line + 1, start.column + 2)


def _mark_span(mark: Any) -> Span:
    if mark is None:
        return Span(1, 1, 1, 1)
    return Span(mark.line + 1, mark.column + 1, mark.line + 1, mark.column + 2)


class _Refused(Exception):
    """The document is not loaded: `message` says why, at `mark`."""

    def __init__(self, mark: Any, message: str) -> None:
        super().__init__(message)
        self.mark = mark
        self.message = message


_NO_KEY = object()


def _compose(loader: yaml.SafeLoader) -> tuple[yaml.Node | None, int]:
    """PyYAML's Composer.get_single_node without its recursion: (root node or None, aliases used).

    The composed graph is the same, but nesting deeper than MAX_DEPTH and an alias to a collection
    that contains it (a recursive document, which PyYAML would build and everything after would loop
    on) are refused with _Refused. Raises yaml.YAMLError for invalid YAML."""
    # start-up: PyYAML loads only when YAML is read
    from yaml.events import (
        AliasEvent,
        MappingEndEvent,
        MappingStartEvent,
        ScalarEvent,
        SequenceEndEvent,
        SequenceStartEvent,
        StreamEndEvent,
    )

    loader.get_event()  # STREAM-START
    if loader.check_event(StreamEndEvent):
        loader.get_event()
        return None, 0
    loader.get_event()  # DOCUMENT-START
    anchors: dict[str, yaml.Node] = {}
    open_ids: set[int] = set()
    stack: list[list[Any]] = []  # [collection node, pending key of a mapping]
    aliases = 0
    root: yaml.Node | None = None
    while True:
        done: yaml.Node
        if stack and loader.check_event(SequenceEndEvent, MappingEndEvent):
            end = loader.get_event()
            done = stack.pop()[0]
            done.end_mark = end.end_mark
            open_ids.discard(id(done))
        else:
            event = loader.peek_event()
            if isinstance(event, AliasEvent):
                loader.get_event()
                if event.anchor not in anchors:
                    raise yaml.composer.ComposerError(
                        None, None, f"found undefined alias {event.anchor!r}", event.start_mark
                    )
                done = anchors[event.anchor]
                if id(done) in open_ids:
                    raise _Refused(
                        event.start_mark,
                        f"the alias *{event.anchor} is inside the collection it names (a recursive document); "
                        "lean-lint does not load it",
                    )
                aliases += 1
            else:
                anchor = event.anchor
                if anchor is not None and anchor in anchors:
                    first = anchors[anchor].start_mark.line + 1
                    raise yaml.composer.ComposerError(
                        None, None, f"the anchor &{anchor} is defined twice (first on line {first})", event.start_mark
                    )
                if len(stack) >= MAX_DEPTH:
                    raise _Refused(
                        event.start_mark,
                        f"the document nests more than {MAX_DEPTH} levels deep; lean-lint does not load it",
                    )
                event = loader.get_event()
                tag = event.tag
                if isinstance(event, ScalarEvent):
                    if tag is None or tag == "!":
                        tag = loader.resolve(yaml.ScalarNode, event.value, event.implicit)
                    done = yaml.ScalarNode(tag, event.value, event.start_mark, event.end_mark, style=event.style)
                    if anchor is not None:
                        anchors[anchor] = done
                elif isinstance(event, (SequenceStartEvent, MappingStartEvent)):
                    kind = yaml.SequenceNode if isinstance(event, SequenceStartEvent) else yaml.MappingNode
                    if tag is None or tag == "!":
                        tag = loader.resolve(kind, None, event.implicit)
                    node = kind(tag, [], event.start_mark, None, flow_style=event.flow_style)
                    if anchor is not None:
                        anchors[anchor] = node
                    stack.append([node, _NO_KEY])
                    open_ids.add(id(node))
                    continue
                else:  # pragma: no cover - the parser never emits anything else here
                    raise yaml.composer.ComposerError(None, None, f"unexpected {type(event).__name__}", event.start_mark)
        if not stack:
            root = done
            break
        parent = stack[-1]
        if isinstance(parent[0], yaml.SequenceNode):
            parent[0].value.append(done)
        elif parent[1] is _NO_KEY:
            parent[1] = done
        else:
            parent[0].value.append((parent[1], done))
            parent[1] = _NO_KEY
    loader.get_event()  # DOCUMENT-END
    if not loader.check_event(StreamEndEvent):
        event = loader.get_event()
        raise yaml.composer.ComposerError(
            "expected a single document in the stream", root.start_mark, "but found another document", event.start_mark
        )
    loader.get_event()  # STREAM-END
    return root, aliases


def _expanded_size(root: yaml.Node) -> int:
    """Nodes the document expands to, memoized per node object, so aliases are counted, not walked.
    The graph has no cycle (_compose refuses them); the count stops growing past the limit."""
    sizes: dict[int, int] = {}
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, done = stack.pop()
        if id(node) in sizes:
            continue
        children: list[yaml.Node] = []
        if isinstance(node, yaml.MappingNode):
            for k, v in node.value:
                children += [k, v]
        elif isinstance(node, yaml.SequenceNode):
            children = list(node.value)
        if done:
            total = 1
            for child in children:
                total += sizes.get(id(child), 1)
                if total > MAX_EXPANDED_NODES:
                    break
            sizes[id(node)] = total
            continue
        stack.append((node, True))
        stack.extend((c, False) for c in children if id(c) not in sizes)
    return sizes.get(id(root), 1)


def _find_duplicates(root: yaml.Node) -> list[tuple[str, Span, Span]]:
    found = []
    seen_nodes: set[int] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen_nodes:
            continue
        seen_nodes.add(id(node))
        if isinstance(node, yaml.MappingNode):
            first: dict[str, yaml.Node] = {}
            for k, v in node.value:
                if isinstance(k, yaml.ScalarNode) and k.tag != "tag:yaml.org,2002:merge":
                    if k.value in first:
                        found.append((k.value, node_span(first[k.value]), node_span(k)))
                    else:
                        first[k.value] = k
                stack += [k, v]
        elif isinstance(node, yaml.SequenceNode):
            stack += node.value
    found.sort(key=lambda d: (d[2].line, d[2].column))
    return found


def load_yaml(text: str) -> YamlDocument:
    """Load leanengine.yaml's text. Never raises: whatever is wrong with the text ends in `problems`."""
    doc = YamlDocument(text)
    loader = None
    try:
        loader = yaml.SafeLoader(text)  # the reader refuses control characters right here
        try:
            doc.node, aliases = _compose(loader)
        except _Refused as exc:
            doc.problems.append(YamlProblem(_mark_span(exc.mark), exc.message))
            doc.node = None
            return doc
        if doc.node is None:
            return doc  # empty file: data stays None without a problem; rules treat it as {}
        if _expanded_size(doc.node) > MAX_EXPANDED_NODES:
            how = " through aliases (a YAML alias bomb)" if aliases else ""
            doc.problems.append(
                YamlProblem(
                    node_span(doc.node),
                    f"the document expands to more than {MAX_EXPANDED_NODES:,} nodes{how}; lean-lint does not load it",
                )
            )
            doc.node = None
            return doc
        doc.duplicates = _find_duplicates(doc.node)
        try:
            doc.data = loader.construct_document(doc.node)
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            doc.problems.append(YamlProblem(_mark_span(mark), f"invalid YAML: {_yaml_reason(exc)}"))
            doc.data = None
        except Exception as exc:  # noqa: BLE001 - a value the safe constructor cannot build (a date out of range...)
            doc.problems.append(YamlProblem(node_span(doc.node), f"invalid YAML: {_one_line(exc)}"))
            doc.data = None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        doc.problems.append(YamlProblem(_mark_span(mark), f"invalid YAML: {_yaml_reason(exc)}"))
        doc.node = None
    except yaml.reader.ReaderError as exc:
        doc.problems.append(YamlProblem(_position_span(text, exc.position), f"invalid YAML: {_reader_reason(exc)}"))
        doc.node = None
    except Exception as exc:  # noqa: BLE001 - yaml.YAMLError without a mark, RecursionError, MemoryError...
        doc.problems.append(YamlProblem(Span(1, 1, 1, 2), f"invalid YAML: {_one_line(exc) or type(exc).__name__}"))
        doc.node = None
    finally:
        if loader is not None:
            try:
                loader.dispose()
            except Exception:  # noqa: BLE001
                pass
    return doc


def _position_span(text: str, position: Any) -> Span:
    if not isinstance(position, int) or position < 0:
        return Span(1, 1, 1, 2)
    line = text.count("\n", 0, position) + 1
    column = position - (text.rfind("\n", 0, position) + 1) + 1
    return Span(line, column, line, column + 1)


def _reader_reason(exc: Any) -> str:
    character = getattr(exc, "character", None)
    if isinstance(character, str) and len(character) == 1:
        character = ord(character)
    if isinstance(character, int):
        return f"the character U+{character:04X} is not allowed in a YAML file"
    return _one_line(exc)


def _one_line(value: object) -> str:
    text = str(value)
    return (text.splitlines()[0] if text else "")[:300]


def _yaml_reason(exc: yaml.MarkedYAMLError) -> str:
    parts = [_one_line(p) for p in (exc.context, exc.problem) if p]
    return "; ".join(parts) or _one_line(exc) or type(exc).__name__
