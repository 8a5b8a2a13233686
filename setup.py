"""The C extension of the analysis (everything else is in pyproject.toml).

``optional=True``: where no C compiler is at hand (a Windows PC running the demo), the
install still succeeds and ``coordinator/network/analysis/compiled.py`` runs the kernels'
Python reference instead, which is exact but slow at large sizes.
"""

import os

from setuptools import Extension, setup

# No fused multiply-add: the kernels must give networkx's floating-point results to the
# last bit (MSVC does not contract by default).
FLAGS = [] if os.name == "nt" else ["-O2", "-ffp-contract=off", "-fno-fast-math"]

setup(
    ext_modules=[
        Extension(
            "coordinator.network.analysis._kernels",
            ["coordinator/network/analysis/_kernels.c"],
            extra_compile_args=FLAGS,
            libraries=[] if os.name == "nt" else ["m"],  # sqrt (the layout's pull)
            optional=True,
        )
    ]
)
