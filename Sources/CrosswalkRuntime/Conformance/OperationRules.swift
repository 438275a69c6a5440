import CrosswalkConfig
import CrosswalkConnectors
import CrosswalkCore
import CrosswalkPlugins
import Foundation

/// The operation rules of a conformance run: each operation through the real host, each answer
/// decoded with the typed documents (a document that does not decode fails its rule with the
/// decoder's reason) and checked against the ABI's extra rules.
struct OperationRules {
    let plugin: LoadedPlugin
    let connection: ConnectionConfig
    let settings: ConformanceRun.Settings
    let log: ResultLog

    static let missingID = "crosswalk-check-no-such-id"

    func run(_ runtime: HostRuntime) async throws {
        let client: PluginConnectorClient
        do { client = try await runtime.client(for: connection, plugin: plugin) } catch let e as CrosswalkError {
            log.fail("create", "\(e.code): \(e.message)")
            return
        }
        log.pass("create", "an instance for connection \(connection.name)")
        await run(client)
        await client.close()
    }

    private func run(_ client: PluginConnectorClient) async {
        do {
            let check = try await client.check()
            if check.ok { log.pass("check", check.message) } else { log.fail("check", "ok:false — \(check.message)") }
        } catch { log.fail("check", describe(error)) }

        let discovered = await discover(client)
        guard let object = settings.object ?? plugin.manifest.objects.first(where: { $0.supports("read") })?.name else {
            log.skip("read", "the manifest has no readable object")
            await write(client, discovered: discovered, seen: [])
            return
        }
        let behaviour = plugin.manifest.object(object)?.read
        let full = await fullRead(client, object: object)
        if let full {
            await caughtUp(client, object: object, from: full, behaviour: behaviour)
            await startNow(client, object: object, behaviour: behaviour)
            await byIDs(client, object: object, from: full, behaviour: behaviour)
        }
        await write(client, discovered: discovered, seen: full?.records ?? [])
    }

    // MARK: discover

    private func discover(_ client: PluginConnectorClient) async -> DiscoverResult? {
        let result: DiscoverResult
        do { result = try await client.discover() } catch {
            log.fail("discover", describe(error))
            return nil
        }
        log.pass("discover", "\(result.objects.count) objects, \(result.objects.map(\.fields.count).reduce(0, +)) fields")
        let names = Set(result.objects.map(\.name))
        let undiscovered = plugin.manifest.objects.map(\.name).filter { !names.contains($0) }
        log.verdict("discover.objects", problems: undiscovered.map { "manifest object \($0) is not discovered" },
                    ok: "every manifest object is discovered")
        var problems: [String] = []
        for object in result.objects {
            for field in object.fields {
                if case .other(let name) = field.type { problems.append("\(object.name).\(field.name): type \"\(name)\" is not in the ABI's closed list") }
                if field.name.isEmpty { problems.append("\(object.name): a field has an empty name") }
            }
        }
        log.verdict("discover.types", problems: problems, ok: "every field type is one of the ABI's")
        return result
    }

    // MARK: reads

    struct FullRead {
        var records: [ConnectorRecord]
        var cursor: JSONValue?
    }

    private func fullRead(_ client: PluginConnectorClient, object: String) async -> FullRead? {
        var records: [ConnectorRecord] = []
        var cursor: JSONValue = .null
        var pages = 0
        var limitProblems: [String] = [], cursorProblems: [String] = [], objectProblems: [String] = []
        var idProblems: [String] = [], timeProblems: [String] = []
        var seen = Set<String>()
        var caughtUp = false
        var last: ReadResult?
        while pages < settings.maxPages {
            let page: ReadResult
            do { page = try await client.read(ReadRequest(object: object, cursor: cursor, limit: settings.limit)) } catch {
                log.fail("read.full", "page \(pages + 1): \(describe(error))")
                return nil
            }
            pages += 1
            last = page
            if page.records.count > settings.limit {
                limitProblems.append("page \(pages) holds \(page.records.count) records for limit \(settings.limit)")
            }
            for record in page.records {
                if record.object != object { objectProblems.append("record \(record.id) has object \"\(record.object)\", not \(object)") }
                if record.id.isEmpty { idProblems.append("a record of page \(pages) has an empty id") }
                else if !seen.insert(record.id).inserted { idProblems.append("record \(record.id) came again on page \(pages)") }
                if let at = record.modifiedAt, !RFC3339.isValid(at) { timeProblems.append("record \(record.id): modified_at \"\(at)\" is not RFC 3339") }
            }
            records += page.records
            guard page.hasMore else {
                caughtUp = true
                break
            }
            guard let next = page.nextCursor, !next.isNull else {
                cursorProblems.append("page \(pages) says has_more:true without a next_cursor")
                break
            }
            cursor = next
        }
        if caughtUp {
            log.pass("read.full", "\(records.count) records of \(object) in \(pages) pages of at most \(settings.limit), from a null cursor")
        } else if cursorProblems.isEmpty {
            log.fail("read.full", "still has_more after \(pages) pages: the read never caught up")
        }
        log.verdict("read.limit", problems: limitProblems, ok: "no page holds more than limit")
        log.verdict("read.next_cursor", problems: cursorProblems, ok: "next_cursor present whenever has_more")
        log.verdict("read.object", problems: objectProblems, ok: "every record has object \(object)")
        log.verdict("read.ids", problems: idProblems, ok: "ids non-empty, none repeated across pages")
        log.verdict("read.modified_at", problems: timeProblems, ok: "every modified_at is RFC 3339")
        guard caughtUp else { return nil }
        return FullRead(records: records, cursor: last?.nextCursor)
    }

    private func caughtUp(_ client: PluginConnectorClient, object: String, from full: FullRead, behaviour: ConnectorManifest.ReadBehaviour?) async {
        guard behaviour?.incremental == true else {
            log.skip("read.incremental", "\(object) does not declare incremental reads")
            return
        }
        guard let cursor = full.cursor, !cursor.isNull else {
            log.fail("read.incremental", "the caught-up page (has_more:false) gave no next_cursor to resume from")
            return
        }
        do {
            let (records, caughtUp) = try await follow(client, object: object, from: cursor)
            let known = Dictionary(full.records.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
            var problems: [String] = []
            for record in records {
                if known[record.id] == nil {
                    problems.append("record \(record.id) appeared although nothing changed")
                } else if behaviour?.boundary != .inclusive {
                    problems.append("record \(record.id) came again from the caught-up cursor of an exclusive boundary")
                }
            }
            if !caughtUp { problems.append("still has_more after \(settings.maxPages) pages from a caught-up cursor") }
            log.verdict("read.incremental", problems: problems, ok: "the caught-up cursor returns nothing new (\(records.count) records)")
        } catch { log.fail("read.incremental", describe(error)) }
    }

    /// Every record from `cursor` until caught up (pages may be empty while `has_more`).
    private func follow(_ client: PluginConnectorClient, object: String, from cursor: JSONValue) async throws -> ([ConnectorRecord], Bool) {
        var cursor = cursor
        var records: [ConnectorRecord] = []
        for _ in 0..<settings.maxPages {
            let page = try await client.read(ReadRequest(object: object, cursor: cursor, limit: settings.limit))
            records += page.records
            guard page.hasMore else { return (records, true) }
            guard let next = page.nextCursor, !next.isNull else {
                throw CrosswalkError(.internalError, "read answered has_more:true without a next_cursor")
            }
            cursor = next
        }
        return (records, false)
    }

    private func startNow(_ client: PluginConnectorClient, object: String, behaviour: ConnectorManifest.ReadBehaviour?) async {
        guard behaviour?.incremental == true else {
            log.skip("read.start_now", "\(object) does not declare incremental reads")
            return
        }
        do {
            let head = try await client.read(ReadRequest(object: object, cursor: .null, limit: settings.limit, start: "now"))
            var problems: [String] = []
            if !head.records.isEmpty { problems.append("start:\"now\" answered \(head.records.count) records (none expected)") }
            if head.hasMore { problems.append("start:\"now\" answered has_more:true") }
            guard let cursor = head.nextCursor, !cursor.isNull else {
                log.fail("read.start_now", (problems + ["start:\"now\" answered no next_cursor"]).joined(separator: "; "))
                return
            }
            let (after, caughtUp) = try await follow(client, object: object, from: cursor)
            if !after.isEmpty { problems.append("the head cursor returned \(after.count) records although nothing changed") }
            if !caughtUp { problems.append("still has_more after \(settings.maxPages) pages from the head cursor") }
            log.verdict("read.start_now", problems: problems, ok: "a head cursor, from which nothing is read while nothing changes")
        } catch { log.fail("read.start_now", describe(error)) }
    }

    private func byIDs(_ client: PluginConnectorClient, object: String, from full: FullRead, behaviour: ConnectorManifest.ReadBehaviour?) async {
        if behaviour?.byIDs == false {
            log.skip("read.by_ids", "\(object) declares by_ids:false")
            return
        }
        let wanted = Array(full.records.prefix(2).map(\.id))
        guard !wanted.isEmpty else {
            log.skip("read.by_ids", "the full read returned no record to ask for")
            return
        }
        do {
            let page = try await client.read(ReadRequest(object: object, limit: settings.limit, ids: wanted + [Self.missingID]))
            var problems: [String] = []
            let got = Set(page.records.map(\.id))
            for id in wanted where !got.contains(id) { problems.append("record \(id) was not returned") }
            for id in got where !wanted.contains(id) { problems.append("record \(id) was returned but not asked for") }
            let missing = page.missing ?? []
            if !missing.contains(Self.missingID) { problems.append("\"missing\" does not list the unknown id \(Self.missingID)") }
            for id in missing where wanted.contains(id) { problems.append("\"missing\" lists \(id), which exists") }
            log.verdict("read.by_ids", problems: problems, ok: "\(wanted.count) records found, the unknown id in missing")
        } catch { log.fail("read.by_ids", describe(error)) }
    }

    // MARK: write

    private func write(_ client: PluginConnectorClient, discovered: DiscoverResult?, seen: [ConnectorRecord]) async {
        guard let object = settings.writeObject else {
            log.skip("write", "pass --write-object OBJECT to write two records (they are really created)")
            return
        }
        guard plugin.manifest.object(object)?.supports("create") == true else {
            log.skip("write", "\(object) is not writable (no create in its manifest operations)")
            return
        }
        let tag = String(UUID().uuidString.prefix(8)).lowercased()
        let items = (1...2).map { n in
            WriteItem(ref: "check-\(tag)-\(n)", fields: settings.writeFields.map { Self.distinct($0, n: n, tag: tag) }
                      ?? Self.sampleFields(discovered?.object(object), n: n, tag: tag))
        }
        let result: WriteResult
        do { result = try await client.write(WriteRequest(object: object, operation: .create, records: items)) } catch {
            let text = describe(error)
            log.fail(text.contains("which was not in the batch") ? "write.refs" : "write", text)
            return
        }
        let refs = Set(items.map(\.ref))
        var problems: [String] = []
        var counts: [String: Int] = [:]
        for r in result.results { counts[r.ref, default: 0] += 1 }
        for ref in refs where counts[ref] == nil { problems.append("no result for ref \(ref)") }
        for (ref, n) in counts where n > 1 { problems.append("\(n) results for ref \(ref)") }
        log.verdict("write.refs", problems: problems, ok: "one result per ref")
        problems = []
        var ids: [String] = []
        for r in result.results {
            if r.ok {
                guard let id = r.id, !id.isEmpty else { problems.append("ref \(r.ref): ok:true without an id"); continue }
                ids.append(id)
                if let outcome = r.outcome, [.failed, .unknown].contains(outcome) { problems.append("ref \(r.ref): ok:true with outcome \(outcome.rawValue)") }
            } else {
                if r.error == nil { problems.append("ref \(r.ref): ok:false without an error") }
                problems.append("ref \(r.ref) failed: \(r.error?.code ?? "?"): \(r.error?.message ?? "")")
            }
        }
        log.verdict("write.results", problems: problems, ok: result.results.map { "\($0.ref) \($0.effectiveOutcome.rawValue) as \($0.id ?? "-")" }.joined(separator: ", "))
        guard !ids.isEmpty, plugin.manifest.object(object)?.supports("read") == true, plugin.manifest.object(object)?.read?.byIDs != false else {
            log.skip("write.readback", "nothing written to read back, or \(object) cannot be read by ids")
            return
        }
        do {
            let back = try await client.read(ReadRequest(object: object, ids: ids))
            let got = Set(back.records.map(\.id))
            log.verdict("write.readback", problems: ids.filter { !got.contains($0) }.map { "written record \($0) is not readable by id" },
                        ok: "the written records read back by id")
        } catch { log.fail("write.readback", describe(error)) }
    }

    /// Fields for a test record from discover: the required createable fields, else a few createable text fields.
    static func sampleFields(_ schema: ObjectSchema?, n: Int, tag: String) -> [String: JSONValue] {
        guard let schema else { return [:] }
        let createable = schema.fields.filter { $0.createable != false && $0.type != .id }
        var chosen = createable.filter(\.required)
        if chosen.isEmpty { chosen = Array((createable.filter { $0.type == .email } + createable.filter { [.string, .text].contains($0.type) }).prefix(3)) }
        var fields: [String: JSONValue] = [:]
        for field in chosen { fields[field.name] = sample(field, n: n, tag: tag) }
        return fields
    }

    static func sample(_ field: FieldSchema, n: Int, tag: String) -> JSONValue {
        switch field.type {
        case .email: return .string("crosswalk-check-\(tag)-\(n)@example.com")
        case .integer, .number, .decimal, .currency, .percent: return .number(JSONNumber(n))
        case .boolean: return .bool(true)
        case .date: return .string(String(RFC3339.now().prefix(10)))
        case .datetime: return .string(RFC3339.now())
        case .phone: return .string("+1555000000\(n)")
        case .url: return .string("https://example.com/crosswalk-check/\(tag)/\(n)")
        case .picklist, .multipicklist:
            return .string(field.picklist?.first { $0.active != false }?.value ?? "Crosswalk check")
        default: return .string("Crosswalk check \(tag) \(n)")
        }
    }

    /// The user's fields with string values made distinct per record (so a match key does not merge them).
    static func distinct(_ fields: [String: JSONValue], n: Int, tag: String) -> [String: JSONValue] {
        fields.mapValues { value in
            guard case .string(let s) = value, s.contains("{n}") || s.contains("{tag}") else { return value }
            return .string(s.replacingOccurrences(of: "{n}", with: String(n)).replacingOccurrences(of: "{tag}", with: tag))
        }
    }

    private func describe(_ error: any Error) -> String {
        if let e = error as? CrosswalkError { return "\(e.code): \(e.message)" }
        return "\(error)"
    }
}

/// RFC 3339 date-times (`2026-11-30T10:00:00Z`, `…T10:00:00.123+02:00`).
enum RFC3339 {
    static func isValid(_ text: String) -> Bool {
        text.range(of: #"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$"#, options: .regularExpression) != nil
    }

    static func now() -> String { ISO8601DateFormatter().string(from: Date()) }
}
