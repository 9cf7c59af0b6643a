"""Imported by ``jakdeck batch``'s fork server (see :data:`jakdeck.batch.PRELOAD`): it reads, once, the
built-in data that every job reads alike – the knowledge base, the importer's rules, its cue and name
patterns and its sentence splitter – so that no forked job parses or compiles them again.

Nothing here depends on a job's input, config, theme or fonts: each job still loads those itself.
A problem with the built-in data is left for the first job to report, located, as a build would.
"""

from __future__ import annotations

from .errors import JakdeckError
from .importer.biology import vocabulary
from .importer.summarise import _segmenter, cue_patterns, rules
from .pathway import knowledge


def warm() -> None:
    """Load the built-in data every job reads (each loader remembers what it read)."""
    try:
        knowledge()
        rules()
        cue_patterns()
        vocabulary()
        _segmenter()
    except JakdeckError:
        pass


warm()
