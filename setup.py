"""Copies the top-level templates/, static/ and seed_tasks.json into the built package.

They live at the checkout's top level (where designers and the seed script find them);
an installed wheel must carry them inside `tracker/`, where tracker.assets looks first.
"""
import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ASSETS = ("templates", "static", "seed_tasks.json")


class build_py_with_assets(build_py):
    def run(self):
        super().run()
        top = Path(__file__).resolve().parent
        target = Path(self.build_lib) / "tracker"
        for name in ASSETS:
            source = top / name
            if source.is_dir():
                shutil.copytree(source, target / name, dirs_exist_ok=True)
            elif source.is_file():
                shutil.copy2(source, target / name)


setup(cmdclass={"build_py": build_py_with_assets})
