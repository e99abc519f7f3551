"""Loading leanengine.yaml with positions.

PyYAML's composed node graph keeps every key's and item's line and column; the data is constructed
from it with the safe constructor only (no `!!python/...` objects). Before anything walks the data,
the expanded size of the alias graph is computed, so a "billion laughs" file is refused in
microseconds instead of being expanded by a validator.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

from analyzer.ftypes import Span

#: Nodes the document may expand to, counting each alias as a copy of its target.
MAX_EXPANDED_NODES = 100_000


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


def _expanded_size(root: yaml.Node) -> int:
    """Nodes the document expands to, memoized per node object, so aliases are counted, not walked."""
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
    doc = YamlDocument(text)
    loader = yaml.SafeLoader(text)
    try:
        try:
            doc.node = loader.get_single_node()
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            doc.problems.append(YamlProblem(_mark_span(mark), f"invalid YAML: {_yaml_reason(exc)}"))
            return doc
        except (yaml.YAMLError, RecursionError) as exc:
            doc.problems.append(YamlProblem(Span(1, 1, 1, 2), f"invalid YAML: {exc}"))
            return doc
        if doc.node is None:
            return doc  # empty file: data stays None without a problem; rules treat it as {}
        if _expanded_size(doc.node) > MAX_EXPANDED_NODES:
            doc.problems.append(
                YamlProblem(
                    node_span(doc.node),
                    f"the document expands to more than {MAX_EXPANDED_NODES:,} nodes through aliases "
                    "(a YAML alias bomb); lean-lint does not load it",
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
        except (yaml.YAMLError, RecursionError, ValueError, TypeError) as exc:
            doc.problems.append(YamlProblem(node_span(doc.node), f"invalid YAML: {exc}"))
            doc.data = None
    finally:
        loader.dispose()
    return doc


def _yaml_reason(exc: yaml.MarkedYAMLError) -> str:
    parts = [p for p in (exc.context, exc.problem) if p]
    return "; ".join(parts) or str(exc).splitlines()[0]
