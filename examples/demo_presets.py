"""PodPreset demo: an operator's preset injected into a developer's minimal pod.

Same as ``kelm preset apply -f examples/presets/allow-database.yaml -f examples/presets/website.yaml``.
"""

import pathlib

from kelm.presets import apply_presets
from kelm.presets.explain import explain
from kelm.presets.loader import load_documents, load_presets
from kelm.presets.yamlio import dump_documents

here = pathlib.Path(__file__).parent / "presets"
presets = load_presets([here / "allow-database.yaml"])
pod_file = here / "website.yaml"
pods = [d.data for d in load_documents(pod_file.read_text(), str(pod_file))]

print("# the developer's pod")
print(dump_documents(pods), end="")
print("\n# the operator's preset")
print((here / "allow-database.yaml").read_text().split("\n", 2)[2], end="")

result = apply_presets(presets, pods)
print("\n# the pod as admitted (kelm preset apply)")
print(dump_documents(result.objects), end="")
print("\n# kelm preset explain")
print(explain(result.reports), end="")
