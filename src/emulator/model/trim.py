#!/usr/bin/env python3
"""Extracts the request shapes of the operations the emulator serves from the Smithy JSON models.

Run from this folder: python3 trim.py /work/shared/models > shapes.json
Keeps only what validation needs: types, members, required, length, range, pattern, enum values,
sparse-free list/map structure, http bindings. Shape names get a service prefix (`agent.`,
`runtime.`) because both services define e.g. `ToolName` with different constraints.
"""
import json, sys

SERVICES = {
    "agent": ("bedrock-agent-2023-06-05.json", "com.amazonaws.bedrockagent#",
              ["CreatePrompt", "GetPrompt", "UpdatePrompt", "DeletePrompt", "ListPrompts",
               "CreatePromptVersion", "TagResource", "UntagResource", "ListTagsForResource"]),
    "runtime": ("bedrock-runtime-2023-09-30.json", "com.amazonaws.bedrockruntime#",
                ["Converse", "ConverseStream"]),
}
PRELUDE = {"String": "string", "Integer": "integer", "Long": "long", "Float": "float",
           "Double": "double", "Boolean": "boolean", "Document": "document", "Blob": "blob",
           "Timestamp": "timestamp", "PrimitiveInteger": "integer", "PrimitiveBoolean": "boolean",
           "PrimitiveLong": "long", "Unit": "unit"}

# Members that newer models (botocore, 2026) add and the SDK crates in use already send.
NEWER = {
    "agent.GetPromptRequest": {
        "includedData": {"target": "agent.IncludedData", "query": "includedData"},
    },
}
NEWER_SHAPES = {
    "agent.IncludedData": {"type": "enum", "values": ["ALL_DATA", "METADATA_ONLY"]},
}

def constraints(traits):
    out = {}
    if "smithy.api#length" in traits: out["length"] = traits["smithy.api#length"]
    if "smithy.api#range" in traits: out["range"] = traits["smithy.api#range"]
    if "smithy.api#pattern" in traits: out["pattern"] = traits["smithy.api#pattern"]
    if "smithy.api#sensitive" in traits: out["sensitive"] = True
    return out

def main(folder):
    result = {"operations": {}, "shapes": {}}
    for prefix, (file, ns, ops) in SERVICES.items():
        shapes = json.load(open(f"{folder}/{file}"))["shapes"]
        def name(target):
            if target.startswith("smithy.api#"):
                return PRELUDE[target.split("#")[1]]
            return prefix + "." + target.split("#")[1]
        todo = []
        for op in ops:
            o = shapes[ns + op]
            http = o["traits"]["smithy.api#http"]
            result["operations"][op] = {"input": name(o["input"]["target"]),
                                        "method": http["method"], "uri": http["uri"]}
            todo.append(o["input"]["target"])
        seen = set()
        while todo:
            t = todo.pop()
            if t in seen or t.startswith("smithy.api#"): continue
            seen.add(t)
            s = shapes[t]
            traits = s.get("traits", {})
            out = {"type": s["type"], **constraints(traits)}
            if s["type"] == "enum":
                out["values"] = [m["traits"]["smithy.api#enumValue"] for m in s["members"].values()]
            elif s["type"] in ("structure", "union"):
                members = {}
                for mn, m in s.get("members", {}).items():
                    mt = m.get("traits", {})
                    mo = {"target": name(m["target"]), **constraints(mt)}
                    if "smithy.api#required" in mt: mo["required"] = True
                    if "smithy.api#httpLabel" in mt: mo["label"] = True
                    if "smithy.api#httpQuery" in mt: mo["query"] = mt["smithy.api#httpQuery"]
                    if "smithy.api#httpPayload" in mt: mo["payload"] = True
                    members[mn] = mo
                    todo.append(m["target"])
                out["members"] = members
            elif s["type"] == "list":
                out["member"] = name(s["member"]["target"]); todo.append(s["member"]["target"])
            elif s["type"] == "map":
                out["key"] = name(s["key"]["target"]); todo.append(s["key"]["target"])
                out["value"] = name(s["value"]["target"]); todo.append(s["value"]["target"])
            result["shapes"][name(t)] = out
    for shape, members in NEWER.items():
        result["shapes"][shape]["members"].update(members)
    result["shapes"].update(NEWER_SHAPES)
    result["shapes"] = dict(sorted(result["shapes"].items()))
    json.dump(result, sys.stdout, indent=1)
    print()

main(sys.argv[1])
