import CrosswalkConfig
import CrosswalkConnectors
import CrosswalkCore
import CrosswalkPlugins

/// The manifest rules of a conformance run (the manifest already parsed and passed the loader's
/// checks: JSON, size, version, auth scheme, capabilities' versions, filter operators, webhooks,
/// function signatures).
enum ManifestRules {
    static let operations: Set<String> = ["read", "create", "update", "upsert", "delete"]

    static func check(_ manifest: ConnectorManifest, log: ResultLog) {
        log.pass("manifest", "\(manifest.objects.count) objects, auth \(manifest.auth.allSchemes.joined(separator: " or ")), capabilities \(manifest.capabilities.joined(separator: ", "))")

        var problems: [String] = []
        for object in manifest.objects {
            if object.operations.isEmpty { problems.append("object \(object.name) offers no operation") }
            for op in object.operations where !operations.contains(op) {
                problems.append("object \(object.name): unknown operation \"\(op)\" (known: read, create, update, upsert, delete)")
            }
            if object.supports("upsert"), (object.matchKeys ?? []).isEmpty, (object.externalIDFields ?? []).isEmpty {
                problems.append("object \(object.name) offers upsert but names no match_keys or external_id_fields")
            }
        }
        log.verdict("manifest.objects", problems: problems, ok: manifest.objects.map { "\($0.name) (\($0.operations.joined(separator: ",")))" }.joined(separator: ", "))

        problems = []
        let reads = manifest.objects.filter { $0.supports("read") }
        let writes = manifest.objects.filter { !Set($0.operations).subtracting(["read"]).isEmpty }
        if !reads.isEmpty, !manifest.has("crosswalk.read/1") { problems.append("objects are readable but \"crosswalk.read/1\" is not in capabilities") }
        if !writes.isEmpty, !manifest.has("crosswalk.write/1") { problems.append("objects are writable but \"crosswalk.write/1\" is not in capabilities") }
        log.verdict("manifest.capabilities", problems: problems, ok: "read and write capabilities match the objects' operations")

        let blocks = reads.compactMap { object in object.read.map { (object.name, $0) } }
        if blocks.isEmpty {
            log.skip("manifest.read", "no object has a read block (ABI 1.0 manifest): incremental reads are not declared")
        } else {
            problems = []
            for (name, block) in blocks where block.incremental {
                if (block.orderKeys ?? []).isEmpty { problems.append("\(name): an incremental read must name its order_keys") }
                if block.boundary == nil { problems.append("\(name): an incremental read must say whether its boundary is inclusive or exclusive") }
                if block.deletes == nil { problems.append("\(name): an incremental read must say how deletes show (flag, feed, none)") }
            }
            log.verdict("manifest.read", problems: problems, ok: blocks.map { "\($0.0) \($0.1.incremental ? "incremental by \(($0.1.orderKeys ?? []).joined(separator: "+")), \($0.1.boundary?.rawValue ?? "?")" : "full reads")" }.joined(separator: "; "))
        }

        problems = manifest.settings.compactMap { setting in
            guard let type = setting.type else { return nil }
            return SettingRule.knownTypes.contains(type) ? nil : "setting \(setting.name): unknown type \"\(type)\" (known: \(SettingRule.knownTypes.sorted().joined(separator: ", ")))"
        }
        log.verdict("manifest.settings", problems: problems, ok: manifest.settings.isEmpty ? "none declared" : manifest.settings.map { "\($0.name)\($0.required == true ? " (required)" : "")" }.joined(separator: ", "))

        problems = []
        if let read = manifest.batchLimits?.read, read < 1 { problems.append("batch_limits.read is \(read)") }
        if let write = manifest.batchLimits?.write, write < 1 { problems.append("batch_limits.write is \(write)") }
        log.verdict("manifest.batch_limits", problems: problems, ok: "read \(manifest.batchLimits?.read.map(String.init) ?? "default"), write \(manifest.batchLimits?.write.map(String.init) ?? "default")")
    }
}
