"""Where the annotated seed documents are: ``$PHOIHOP_SEEDS_DIR``, else ``shared/seeds`` beside the
repository (``../shared/seeds``). One place, so that every test looks in the same folder."""

import os
from pathlib import Path

SEEDS_DIR = Path(
    os.environ.get("PHOIHOP_SEEDS_DIR") or Path(__file__).resolve().parents[2] / "shared" / "seeds"
)
