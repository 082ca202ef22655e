"""Readers: each turns one real format into a :class:`openlicense.release.Release`.

- :mod:`openlicense.readers.hf`: a Hugging Face model repository folder or model card;
- :mod:`openlicense.readers.mot`: a Model Openness Tool YAML file;
- :mod:`openlicense.readers.files`: a single license file, or a plain license expression.

:func:`openlicense.report.read_release` picks the reader from what a path is.
"""
