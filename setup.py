"""Maps the top-level folders envs/, verifiers/, sandboxes/ and trainers/ into the gymhub namespace.

A plain top-level package named `verifiers` would collide with a PyPI package that several
trainers install, so these folders are installed as gymhub.envs, gymhub.verifiers, ...
"""

from setuptools import find_packages, setup

MAPPED = ("envs", "verifiers", "sandboxes", "trainers")

packages = ["gymhub", *(f"gymhub.{p}" for p in find_packages("gymhub"))]
package_dir = {"gymhub": "gymhub"}
for folder in MAPPED:
    packages += [f"gymhub.{folder}", *(f"gymhub.{folder}.{p}" for p in find_packages(folder))]
    package_dir[f"gymhub.{folder}"] = folder

setup(packages=packages, package_dir=package_dir)
