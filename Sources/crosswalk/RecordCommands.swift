import ArgumentParser
import CrosswalkConnectors
import CrosswalkCore
import CrosswalkRuntime
import Foundation

struct DiscoverCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "discover",
        abstract: "List a connection's objects and fields, as its connector discovers them through the host.")
    @Argument(help: "The connection's name in the config.") var connection: String
    @Argument(help: "One object (default: all).") var object: String?
    @Flag(help: "Print the discover document (JSON) instead of a table.") var json = false
    @OptionGroup var options: GlobalOptions

    func run() async throws {
        try await options.withRuntime { runtime in
            let client = try await runtime.client(for: connection)
            let result: DiscoverResult
            do { result = try await client.discover(DiscoverRequest(objects: object.map { [$0] })) } catch {
                await client.close()
                throw error
            }
            await client.close()
            if let object, result.object(object) == nil {
                throw CrosswalkError(.notFound, "\(connection): no object \(object); the connector offers: \(client.manifest.objects.map(\.name).joined(separator: ", "))")
            }
            if json {
                print(try JSONValueEncoder().encodeValue(result).text)
                return
            }
            for schema in result.objects {
                print("\(schema.name)\(schema.label.map { " (\($0))" } ?? "")\(schema.operations.map { ": " + $0.joined(separator: ", ") } ?? "")")
                print(Table.render(headers: ["  FIELD", "TYPE", "FLAGS"], rows: schema.fields.map { field in
                    ["  " + field.name, field.type.name + (field.referenceTo.isEmpty ? "" : " → " + field.referenceTo.joined(separator: "|")),
                     Self.flags(field)]
                }))
            }
        }
    }

    static func flags(_ f: FieldSchema) -> String {
        var flags: [String] = []
        if f.required { flags.append("required") }
        if f.unique { flags.append("unique") }
        if f.externalID == true { flags.append("external id") }
        if f.createable == false && f.updateable == false { flags.append("read-only") }
        if let picklist = f.picklist { flags.append("\(picklist.count) values") }
        return flags.joined(separator: ", ")
    }
}

struct ReadCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "read",
        abstract: "Read records of one object through the connector and the host; JSON lines on standard output.",
        discussion: """
            One page by default; --all follows has_more until the connector is caught up. Progress and the \
            cursor to resume from go to standard error, so standard output is records only (one JSON object \
            per line, as the connector returned them).
            """)
    @Argument(help: "The connection's name in the config.") var connection: String
    @Argument(help: "The object to read.") var object: String
    @Option(help: "Resume from this cursor (JSON, as a previous read printed it).") var cursor: String?
    @Option(help: "Records per page at most.") var limit: Int?
    @Option(help: "Read exactly these ids (comma-separated).") var ids: String?
    @Flag(help: "Follow has_more until caught up.") var all = false
    @Flag(help: "Ask for a head cursor (start:\"now\") instead of records.") var now = false
    @OptionGroup var options: GlobalOptions

    func run() async throws {
        let cursorValue = try cursor.map { text -> JSONValue in
            do { return try JSONValue(parsing: text) } catch { throw CrosswalkError(.invalidArgument, "--cursor is not JSON (\(error))") }
        }
        let request = ReadRequest(object: object, cursor: cursorValue ?? .null, limit: limit,
                                  ids: ids.map { $0.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) } },
                                  start: now ? "now" : nil)
        try await options.withRuntime { runtime in
            let client = try await runtime.client(for: connection)
            do {
                let outcome = try await PagedRead(request: request, all: all).run(client) { number, page in
                    var out = Data()
                    for record in page.records {
                        out.append(try JSONValueEncoder().encode(record, sortedKeys: true))
                        out.append(UInt8(ascii: "\n"))
                    }
                    FileHandle.standardOutput.write(out)
                    Console.error("page \(number): \(page.records.count) records\(page.hasMore ? ", more to come" : "")")
                }
                await client.close()
                if !outcome.missing.isEmpty { Console.error("missing: \(outcome.missing.joined(separator: ","))") }
                Console.error("read \(outcome.records) records in \(outcome.pages) pages; \(outcome.hasMore ? "more to read" : "caught up"); next cursor: \(outcome.nextCursor?.text ?? "null")")
            } catch {
                await client.close()
                throw error
            }
        }
    }
}

struct WriteCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "write",
        abstract: "Write records (JSON lines on standard input) through the connector and the host; one result per line out.",
        discussion: """
            Each input line is {"ref":…,"id":…,"fields":{…}} or a record as `crosswalk read` prints it (a line \
            without "ref" gets line-N). Records go in batches of the connector's batch_limits.write. Each \
            record's result is a JSON line on standard output, a summary goes to standard error, and the exit \
            status is 1 when any record failed.
            """)
    @Argument(help: "The connection's name in the config.") var connection: String
    @Argument(help: "The object to write.") var object: String
    @Option(help: "create, update, upsert or delete.") var operation: String
    @Option(help: "The field an upsert matches on.") var matchKey: String?
    @OptionGroup var options: GlobalOptions

    func run() async throws {
        guard let kind = WriteOperation(rawValue: operation) else {
            throw CrosswalkError(.invalidArgument, "--operation must be one of create, update, upsert, delete (not \(operation))")
        }
        let items = try BatchedWrite.items(jsonLines: FileHandle.standardInput.readDataToEndOfFile())
        let summary = try await options.withRuntime { runtime in
            let client = try await runtime.client(for: connection)
            do {
                let summary = try await BatchedWrite(object: object, operation: kind, matchKey: matchKey, items: items).run(client) { result in
                    var line = try JSONValueEncoder().encode(result, sortedKeys: true)
                    line.append(UInt8(ascii: "\n"))
                    FileHandle.standardOutput.write(line)
                }
                await client.close()
                return summary
            } catch {
                await client.close()
                throw error
            }
        }
        let counts = summary.outcomes.sorted { $0.key.rawValue < $1.key.rawValue }.map { "\($0.value) \($0.key.rawValue)" }
        Console.error("wrote \(summary.total) records in \(summary.batches) batches: \(counts.isEmpty ? "nothing" : counts.joined(separator: ", "))")
        if summary.failed > 0 { throw ExitCode(1) }
    }
}
