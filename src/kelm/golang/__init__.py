"""Go semantics kelm needs to match Helm and kubectl byte for byte, with no Helm/Kubernetes
knowledge: the bottom layer every other package may import.

``value``   Go's value model in Python objects (GoInt & co, TypedList/TypedMap, GoStruct,
            GoFunc signatures, GoError).
``fmt``     fmt/strconv formatting (``%v``, Sprintf, Quote, FormatFloat).
``floats``  float64/float32 text forms (strconv 'g', encoding/json, go-yaml).
``time``    the ``time`` package (Time, Duration, layouts, zones); the wall clock is
            :mod:`kelm.clock`.
``semver``  Masterminds/semver v3 versions and constraints.

Nothing is imported here: import the module you need (start-up cost).
"""
