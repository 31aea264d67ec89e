"""The monorepo's own helpers (stands for whatever a real infra repository already has)."""
