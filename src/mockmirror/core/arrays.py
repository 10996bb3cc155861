"""NumPy array types used between packages; the dtype is in the name.

``FloatArray`` is for inputs of any float dtype that a function converts itself (decoded audio is
float32, landmark points float64); the others name the exact dtype a function returns or stores.
"""

from __future__ import annotations

from typing import Any, TypeAlias

import numpy as np
import numpy.typing as npt

FloatArray: TypeAlias = npt.NDArray[np.floating[Any]]
Float32Array: TypeAlias = npt.NDArray[np.float32]
Float64Array: TypeAlias = npt.NDArray[np.float64]
BoolArray: TypeAlias = npt.NDArray[np.bool_]
UInt8Array: TypeAlias = npt.NDArray[np.uint8]  # images and face crops (RGB or grey)
