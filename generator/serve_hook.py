"""MkDocs hook for ``gridscore serve``: regenerate the Markdown before every rebuild."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

# MkDocs loads a hook by its file path, so imports are absolute.
from generator.build import build_date, render_site, write_docs
from generator.errors import GridscoreError, InvalidInput


def on_pre_build(config: Any, **kwargs: Any) -> None:
    root = Path(os.environ["GRIDSCORE_ROOT"])
    audience = os.environ.get("GRIDSCORE_AUDIENCE", "public")
    try:
        _, files = render_site(root, audience, build_date())  # type: ignore[arg-type]
    except InvalidInput as error:
        print("\n".join(str(problem) for problem in error.problems))
        print("数据有误，预览保留上一次的内容；修改后会自动重新生成。")
        return
    except GridscoreError as error:
        print(f"错误：{error}")
        return
    write_docs(Path(config["docs_dir"]), files)
