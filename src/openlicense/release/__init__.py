"""Readers: each turns one real format into a :class:`openlicense.model.Release`.

- :mod:`openlicense.release.hf`: a Hugging Face model repository folder or model card;
- :mod:`openlicense.release.mot`: a Model Openness Tool YAML file;
- :mod:`openlicense.release.files`: a single license file, or a plain license expression.

:func:`openlicense.report.read_release` picks the reader from what a path is.
"""
