"""Small kustomizations exercising one behaviour each; goldens come from kubectl kustomize.

``record.py`` runs the oracle over these and writes tests/golden/kustomize/<name>.json;
``test_scenarios.py`` replays them offline.
"""

from __future__ import annotations

DEPLOY = """apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  finalizers: [f1, f2]
spec:
  selector:
    matchLabels: {app: web}
  strategy:
    type: RollingUpdate
    rollingUpdate: {maxSurge: 1}
  template:
    metadata:
      labels: {app: web, b: "2"}
    spec:
      serviceAccountName: sa
      containers:
      - name: app
        image: nginx:1.25
        args: [a, b]
        env:
        - {name: A, value: "1"}
        - {name: B, value: "2"}
        - name: CM
          valueFrom:
            configMapKeyRef: {name: cfg, key: k}
        - name: SEC
          valueFrom:
            secretKeyRef: {name: sec, key: p}
        ports:
        - {containerPort: 80, name: http}
        volumeMounts:
        - {name: v1, mountPath: /a}
      - name: side
        image: busybox
      volumes:
      - name: v1
        configMap: {name: cfg}
      - name: claim
        persistentVolumeClaim: {claimName: data}
"""

SUPPORT = """apiVersion: v1
kind: ConfigMap
metadata: {name: cfg}
data: {k: v}
---
apiVersion: v1
kind: Secret
metadata: {name: sec}
data: {p: cGFzcw==}
---
apiVersion: v1
kind: ServiceAccount
metadata: {name: sa}
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: data}
spec:
  accessModes: [ReadWriteOnce]
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  selector: {app: web}
  ports:
  - {port: 80, name: http}
  - {port: 443, name: https, protocol: TCP}
"""

RBAC = """apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: reader}
rules:
- apiGroups: [""]
  resources: [configmaps]
  resourceNames: [cfg]
  verbs: [get]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: reader}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: reader}
subjects:
- {kind: ServiceAccount, name: sa, namespace: old}
- {kind: ServiceAccount, name: sa}
- {kind: ServiceAccount, name: default, namespace: old}
- {kind: User, name: sa}
"""


def _k(body: str) -> str:
    return "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n" + body


SCENARIOS: dict[str, dict[str, object]] = {
    "smp_lists_and_directives": {
        "files": {
            "deploy.yaml": DEPLOY,
            "patch.yaml": """apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  finalizers: [f3, f1]
  labels: {$patch: replace, z: "26"}
spec:
  strategy:
    $retainKeys: [type]
    type: Recreate
  template:
    metadata:
      labels: {b: null, c: "3"}
    spec:
      $setElementOrder/containers: [{name: side}, {name: app}]
      containers:
      - name: app
        args: [x]
        env:
        - {name: B, value: "22"}
        - {name: C, value: "3"}
        ports:
        - {containerPort: 80, protocol: UDP, name: udp}
        volumeMounts:
        - {name: v1-renamed, mountPath: /a}
      - {name: side, $patch: delete}
      - {name: new, image: redis}
      volumes:
      - {$patch: replace}
      - {name: v9, emptyDir: {}}
""",
            "kustomization.yaml": _k("resources: [deploy.yaml]\npatches:\n- path: patch.yaml\n"),
        },
    },
    "smp_service_ports_composite_keys": {
        "files": {
            "res.yaml": SUPPORT,
            "kustomization.yaml": _k(
                "resources: [res.yaml]\npatches:\n- patch: |-\n"
                "    apiVersion: v1\n    kind: Service\n    metadata: {name: web}\n"
                "    spec:\n      ports:\n      - {port: 80, targetPort: 9090}\n"
                "      - {port: 443, targetPort: 9443}\n"
                "      - {port: 53, protocol: UDP, name: dns}\n"
            ),
        },
    },
    "smp_delete_resource_and_unknown_kind": {
        "files": {
            "res.yaml": SUPPORT + """---
apiVersion: example.com/v1
kind: Widget
metadata: {name: w}
spec:
  items:
  - {name: a, v: 1}
  - {name: b, v: 2}
""",
            "kustomization.yaml": _k(
                "resources: [res.yaml]\npatches:\n- patch: |-\n"
                "    apiVersion: v1\n    kind: Secret\n    metadata: {name: sec}\n"
                "    $patch: delete\n- patch: |-\n"
                "    apiVersion: example.com/v1\n    kind: Widget\n    metadata: {name: w}\n"
                "    spec:\n      items:\n      - {name: b, v: 3}\n"
            ),
        },
    },
    "name_references_prefix_suffix_namespace": {
        "files": {
            "res.yaml": DEPLOY + "---\n" + SUPPORT + "---\n" + RBAC + """---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: ing}
spec:
  defaultBackend:
    service: {name: web, port: {number: 80}}
  tls:
  - {secretName: sec, hosts: [a.example.com]}
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: web}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
  maxReplicas: 3
""",
            "kustomization.yaml": _k(
                "resources: [res.yaml]\nnamespace: prod\nnamePrefix: pre-\nnameSuffix: -suf\n"
            ),
        },
    },
    "generators_hash_merge_and_options": {
        "files": {
            "base/kustomization.yaml": _k(
                "namePrefix: b-\nconfigMapGenerator:\n- name: cfg\n  literals: [a=1, b=2]\n"
                "- name: same-data-a\n  literals: [k=v]\n- name: same-data-b\n  literals: [k=v]\n"
                "secretGenerator:\n- name: tls\n  type: kubernetes.io/tls\n"
                "  literals: [tls.crt=CRT, tls.key=KEY]\n"
            ),
            "overlay/app.env": "# comment\nA=1\nB = spaced\nC=\"quoted value\"\nE=\nF\nexport I=exp\n",
            "overlay/greeting.txt": "hello <&> é\n",
            "overlay/kustomization.yaml": _k(
                "resources: [../base]\nnamePrefix: o-\nnameSuffix: -s\n"
                "generatorOptions:\n  labels: {gen: \"yes\"}\n  annotations: {note: \"1\"}\n"
                "configMapGenerator:\n- name: cfg\n  behavior: merge\n  literals: [b=20, c=3]\n"
                "- name: env\n  envs: [app.env]\n  files: [greeting.txt, renamed=greeting.txt]\n"
                "  options: {immutable: true}\n"
                "- name: nohash\n  literals: [\"q='single quoted'\", \"sp=  spaces  \"]\n"
                "  options: {disableNameSuffixHash: true}\n"
            ),
        },
        "entry": "overlay",
    },
    "labels_annotations_images_replicas": {
        "files": {
            "res.yaml": DEPLOY + "---\n" + SUPPORT + """---
apiVersion: batch/v1
kind: CronJob
metadata: {name: cron}
spec:
  schedule: "* * * * *"
  jobTemplate:
    spec:
      template:
        spec:
          containers:
          - {name: c, image: "alpine:3"}
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: ss}
spec:
  serviceName: web
  selector: {matchLabels: {app: ss}}
  template:
    metadata: {labels: {app: ss}}
    spec:
      containers:
      - {name: c, image: "redis@sha256:abc"}
""",
            "kustomization.yaml": _k(
                "resources: [res.yaml]\ncommonLabels: {team: a}\n"
                "labels:\n- pairs: {plain: p}\n- pairs: {tmpl: t}\n  includeTemplates: true\n"
                "- pairs: {sel: s}\n  includeSelectors: true\n"
                "commonAnnotations: {num: \"1\", owner: me}\n"
                "images:\n- {name: ngin., newTag: \"1.27\"}\n- {name: alpine, tagSuffix: -slim}\n"
                "- {name: redis, newName: my/redis, newTag: \"7\", digest: \"sha256:bbb\"}\n"
                "replicas:\n- {name: ss, count: 5}\n- {name: web, count: 0}\n"
            ),
        },
    },
    "json6902_and_targets": {
        "files": {
            "res.yaml": DEPLOY + "---\n" + SUPPORT,
            "ops.yaml": "- op: add\n  path: /metadata/annotations\n  value: {new/key: x}\n"
                        "- op: copy\n  from: /metadata/name\n  path: /metadata/labels\n"
                        "- op: move\n  from: /metadata/labels\n  path: /metadata/annotations/moved\n"
                        "- op: test\n  path: /metadata/annotations/moved\n  value: web\n",
            "kustomization.yaml": _k(
                "resources: [res.yaml]\npatches:\n- path: ops.yaml\n  target: {kind: Deploy.*, name: w.b}\n"
                "- target: {version: v1, labelSelector: \"x notin (1)\", name: \"web|cfg\"}\n"
                "  patch: '[{\"op\": \"add\", \"path\": \"/metadata/labels\", \"value\": {\"t\": \"1\"}}]'\n"
                "- target: {kind: Service}\n  patch: |-\n    apiVersion: v1\n    kind: Service\n"
                "    metadata: {name: ignored}\n    spec: {type: NodePort}\n"
            ),
        },
    },
    "replacements_and_vars": {
        "files": {
            "res.yaml": SUPPORT + """---
apiVersion: v1
kind: Pod
metadata:
  name: pod
  annotations: {x: $(SVC)}
spec:
  containers:
  - name: app
    image: busybox
    command: [echo, $(SVC), "$(PORT)", $(UNKNOWN)]
    env:
    - {name: DB_HOST, value: x}
    - {name: URL, value: "postgres://HOST:1/x"}
    - {name: PORT_NUM, value: "0"}
""",
            "kustomization.yaml": _k(
                "resources: [res.yaml]\nnamePrefix: p-\n"
                "vars:\n- name: SVC\n  objref: {kind: Service, name: web, apiVersion: v1}\n"
                "- name: PORT\n  objref: {kind: Service, name: web, apiVersion: v1}\n"
                "  fieldref: {fieldpath: \"spec.ports[0].port\"}\n"
                "replacements:\n- source: {kind: Service, name: web}\n  targets:\n"
                "  - select: {kind: Pod}\n    fieldPaths:\n"
                "    - spec.containers.[name=app].env.[name=DB_HOST].value\n"
                "  - select: {kind: Pod}\n    fieldPaths: [spec.containers.0.env.1.value]\n"
                "    options: {delimiter: /, index: 2}\n"
                "- source: {kind: Service, name: web, fieldPath: spec.ports.0.port}\n  targets:\n"
                "  - select: {kind: Pod}\n    fieldPaths: [spec.containers.0.env.2.value,"
                " metadata.labels.port]\n    options: {create: true}\n"
            ),
        },
    },
    "replacement_created_field_typing": {
        "files": {
            "res.yaml": """apiVersion: v1
kind: ConfigMap
metadata: {name: src}
data: {port: "5432", sel: x}
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: d
  labels: {role: t}
spec:
  replicas: 1
  template:
    spec:
      containers:
      - name: c
        image: nginx
        env:
        - {name: HOST, value: h}
""",
            "kustomization.yaml": _k(
                "resources: [res.yaml]\nreplacements:\n"
                "- source: {kind: ConfigMap, name: src, fieldPath: data.port}\n  targets:\n"
                "  - select: {kind: Deployment}\n    fieldPaths: [metadata.labels.new, "
                "spec.replicas]\n    options: {create: true}\n"
                "- source: {kind: Deployment, fieldPath: metadata.labels}\n  targets:\n"
                "  - select: {kind: Deployment}\n    fieldPaths:\n"
                "    - spec.template.spec.containers.*.env.[name=HOST].value\n"
            ),
        },
    },
    "smp_empty_vs_explicit_null": {
        "files": {
            "a.yaml": "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\nspec:\n"
                      "  replicas: 1\n  paused:\n  minReadySeconds: null\n"
                      "  revisionHistoryLimit: ~\n  template:\n    spec:\n      volumes:\n"
                      "      containers:\n      - name: c\n        image: x\n        args:\n"
                      "---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: untouched\n"
                      "data:\n  empty:\n",
            "kustomization.yaml": _k(
                "resources: [a.yaml]\npatches:\n- patch: |-\n    apiVersion: apps/v1\n"
                "    kind: Deployment\n    metadata:\n      name: d\n    spec:\n      replicas: 2\n"
            ),
        },
    },
    "components_and_fifo": {
        "files": {
            "base/cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: base-cm}\n",
            "base/kustomization.yaml": _k(
                "resources: [cm.yaml]\nconfigMapGenerator:\n- name: gen-base\n  literals: [a=1]\n"
            ),
            "c1/c.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c1-cm}\n",
            "c1/kustomization.yaml": (
                "apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\n"
                "resources: [c.yaml]\nnamePrefix: comp-\nlabels:\n- pairs: {comp: \"yes\"}\n"
                "patches:\n- target: {kind: ConfigMap}\n"
                "  patch: '[{\"op\": \"add\", \"path\": \"/data\", \"value\": {\"c\": \"1\"}}]'\n"
            ),
            "overlay/ov.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ov-cm}\n"
                               "---\napiVersion: v1\nkind: Namespace\nmetadata: {name: zz}\n",
            "overlay/kustomization.yaml": _k(
                "resources: [ov.yaml, ../base]\ncomponents: [../c1]\n"
                "configMapGenerator:\n- name: gen-ov\n  literals: [b=2]\nsortOptions: {order: fifo}\n"
            ),
        },
        "entry": "overlay",
    },
    "legacy_sort_custom_order": {
        "files": {
            "res.yaml": RBAC + "---\n" + SUPPORT + """---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingWebhookConfiguration
metadata: {name: vwc}
---
apiVersion: v1
kind: Pod
metadata: {name: p, namespace: a-b}
---
apiVersion: v1
kind: Pod
metadata: {name: p, namespace: a}
---
apiVersion: example.com/v1
kind: Zeta
metadata: {name: z}
---
apiVersion: v1
kind: Namespace
metadata: {name: ns}
""",
            "kustomization.yaml": _k(
                "resources: [res.yaml]\nsortOptions:\n  order: legacy\n  legacySortOptions:\n"
                "    orderFirst: [Pod, ConfigMap]\n    orderLast: [Namespace]\n"
            ),
        },
    },
    "scalars_and_quoting": {
        "files": {
            "cm.yaml": """apiVersion: v1
kind: ConfigMap
metadata:
  name: scalars
  annotations: {num: 1, flt: 1.50, bool: true}
  labels: {ver: 1.0}
data:
  yes: yes
  on: "on"
  "1": 0x10
  date: 2020-01-01
  dq: '"dq"'
  sq: "'q'"
  colon: "a: b"
  hash: "a #b"
  tab: "tab\\there"
  ctl: "\\u0001"
  multi: |
    line1
    line2
  folded: >
    folded text
    more
  keep: |+
    two

  strip: |-
    no newline
  indent: "  indented\\nline\\n"
  long: word1 word2 word3 word4 word5 word6 word7 word8 word9 word10 word11 word12 word13 word14 word15 word16 word17
  empty: ""
  nul: ~
  big: 12345678901234567890
  exp: 1e20
  small: 1e-7
  octal: 007
  under: 1_000
  neg: -0
  x1: a
  x10: b
  x2: c
  x02: d
  _x: e
  é: f
""",
            "kustomization.yaml": _k("resources: [cm.yaml]\n"),
        },
    },
    "list_expansion_and_local_config": {
        "files": {
            "list.yaml": """apiVersion: v1
kind: List
items:
- apiVersion: v1
  kind: ConfigMap
  metadata: {name: a}
- apiVersion: v1
  kind: ConfigMap
  metadata:
    name: local
    annotations: {config.kubernetes.io/local-config: "true"}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: b}
""",
            "kustomization.yaml": _k("resources: [list.yaml]\n"),
        },
    },
    "error_missing_resource": {
        "files": {"kustomization.yaml": _k("resources: [nothere.yaml]\n")},
    },
    "error_cycle": {
        "files": {
            "a/kustomization.yaml": _k("resources: [../b]\n"),
            "b/kustomization.yaml": _k("resources: [../a]\n"),
        },
        "entry": "a",
    },
    "error_load_restrictor": {
        "files": {
            "outside.env": "A=1\n",
            "in/kustomization.yaml": _k(
                "configMapGenerator:\n- name: c\n  envs: [../outside.env]\n"
            ),
        },
        "entry": "in",
    },
    "load_restrictor_none": {
        "files": {
            "outside.env": "A=1\n",
            "in/kustomization.yaml": _k(
                "configMapGenerator:\n- name: c\n  envs: [../outside.env]\n"
            ),
        },
        "entry": "in",
        "flags": ["--load-restrictor", "LoadRestrictionsNone"],
    },
    "error_unknown_field_and_types": {
        "files": {"kustomization.yaml": _k("resourcez: [x.yaml]\n")},
    },
    "error_patch_no_match": {
        "files": {
            "res.yaml": SUPPORT,
            "kustomization.yaml": _k(
                "resources: [res.yaml]\npatches:\n- patch: |-\n    apiVersion: v1\n"
                "    kind: ConfigMap\n    metadata: {name: nope}\n"
            ),
        },
    },
    "error_remote_resource": {
        "files": {
            "kustomization.yaml": _k(
                "resources:\n- https://github.com/kubernetes-sigs/kustomize//examples/helloWorld?ref=v1.0.6\n"
            ),
        },
    },
    "empty_build": {
        "files": {"kustomization.yaml": _k("resources: []\n")},
    },
}

_IAM = (
    "apiVersion: builtin\nkind: IAMPolicyGenerator\nmetadata:\n  name: my-sa\n"
    "cloud: {cloud}\nkubernetesService:\n{ks}serviceAccount:\n{sa}"
)
_POD = (
    "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: a\n"
    "    image: nginx:1\n"
)
SCENARIOS.update({
    "iam_policy_generator": {
        "files": {
            "iam.yaml": _IAM.format(cloud="gke", ks="  namespace: k8s-ns\n  name: k8s-sa\n",
                                    sa="  name: gsa\n  projectId: proj\n") + "extra: ignored\n",
            "kustomization.yaml": _k("generators: [iam.yaml]\n"),
        },
    },
    "iam_policy_generator_transformed": {
        "files": {
            "iam.yaml": _IAM.format(cloud="gke", ks="  name: k8s-sa\n", sa="  name: gsa\n"),
            "kustomization.yaml": _k("namespace: top\nnamePrefix: pre-\nlabels:\n- pairs: {a: b}\n"
                                     "generators: [iam.yaml]\n"),
        },
    },
    "error_iam_policy_generator_cloud": {
        "files": {
            "iam.yaml": _IAM.format(cloud="aws", ks="  name: k\n", sa="  name: g\n"),
            "kustomization.yaml": _k("generators: [iam.yaml]\n"),
        },
    },
    "error_iam_policy_generator_no_name": {
        "files": {
            "iam.yaml": _IAM.format(cloud="gke", ks="  namespace: n\n", sa="  name: g\n"),
            "kustomization.yaml": _k("generators: [iam.yaml]\n"),
        },
    },
    "error_iam_policy_generator_no_account": {
        "files": {
            "iam.yaml": _IAM.format(cloud="gke", ks="  name: k\n", sa="  projectId: p\n"),
            "kustomization.yaml": _k("generators: [iam.yaml]\n"),
        },
    },
    "error_empty_patch_file": {
        "files": {"res.yaml": _POD, "empty.yaml": "",
                  "kustomization.yaml": _k("resources: [res.yaml]\npatches:\n- path: empty.yaml\n")},
    },
    "error_comment_only_patch_file": {
        "files": {"res.yaml": _POD, "c.yaml": "# nothing\n",
                  "kustomization.yaml": _k("resources: [res.yaml]\npatches:\n- path: c.yaml\n")},
    },
    "error_empty_patch_strategic_merge": {
        "files": {"res.yaml": _POD, "empty.yaml": "",
                  "kustomization.yaml": _k("resources: [res.yaml]\npatchesStrategicMerge:\n"
                                           "- empty.yaml\n")},
    },
    "empty_patch_file_with_target": {
        "files": {"res.yaml": _POD, "empty.yaml": "",
                  "kustomization.yaml": _k("resources: [res.yaml]\npatches:\n- path: empty.yaml\n"
                                           "  target: {kind: Pod}\n")},
    },
    "error_images_invalid_regex": {
        "files": {"res.yaml": _POD,
                  "kustomization.yaml": _k("resources: [res.yaml]\nimages:\n- name: ngi(nx\n"
                                           "  newTag: \"2\"\n")},
    },
    "images_invalid_regex_no_images": {
        "files": {"res.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n",
                  "kustomization.yaml": _k("resources: [res.yaml]\nimages:\n- name: ngi(nx\n"
                                           "  newTag: \"2\"\n")},
    },
})
