"""mamoru's attack-surface scanning engine: a pure asyncio library (no Django import).

Driven by ``mamoru scan`` and by the platform's tasks. See ``model.py`` for the
records it produces and ``README.md`` for how the pieces fit together.
"""
