"""The attack-surface pages (``/asm/``): thin views over ``asm.selectors`` and ``asm.services``."""
