"""Foreign boards: hand-written blackboards of imagined teams, built as real git repositories.

Black-box regression material for statusboard, written from the specification only (docs in
``/work/shared/spec``), never from the generator's source.
"""
