import CrosswalkCore
import CrosswalkHTTP
import Foundation
import Logging

/// `transport-benchmark [N] [CONCURRENCY] [REPEATS]`: GETs against a minimal loopback server,
/// printing requests per second and the mean time per request, for raw libcurl,
/// ``CurlTransport`` and ``ResilientClient``, sequential and concurrent. Each figure is the best
/// of REPEATS runs (default 3), since other work on the machine only ever slows a run down.
/// Build with `-c release`.
@main
struct TransportBenchmark {
    static func main() async throws {
        let arguments = CommandLine.arguments.dropFirst().compactMap { Int($0) }
        let count = arguments.first ?? 2000
        let concurrency = arguments.dropFirst().first ?? 8
        let repeats = max(1, arguments.dropFirst(2).first ?? 3)
        let server = try LoopbackServer()
        let url = "http://127.0.0.1:\(server.port)/ping"
        print("transport-benchmark: \(count) GETs per run, \(concurrency) concurrent in the concurrent runs, best of \(repeats), server on 127.0.0.1:\(server.port)")
        print("name".padding(toLength: 34, withPad: " ", startingAt: 0) + "      req/s   mean µs/req   overhead µs/req")

        let transport = try CurlTransport()
        let resilient = ResilientClient(wrapping: transport, connection: "benchmark", logger: Logger(label: "benchmark"))
        let cases: [(name: String, sequential: Bool, body: @Sendable () async throws -> Void)] = [
            ("raw libcurl easy, sequential", true, { try await RawCurlBaseline.runOnOwnThread(url: url, count: count) }),
            ("CurlTransport, sequential", true, { try await run(transport, url: url, count: count, concurrency: 1) }),
            ("CurlTransport, \(concurrency) concurrent", false, { try await run(transport, url: url, count: count, concurrency: concurrency) }),
            ("ResilientClient, sequential", true, { try await run(resilient, url: url, count: count, concurrency: 1) }),
            ("ResilientClient, \(concurrency) concurrent", false, { try await run(resilient, url: url, count: count, concurrency: concurrency) }),
        ]
        for (_, _, body) in cases { try await body() }  // warm up connections, caches and the thread pool
        // Interleaved, so a burst of other work on the machine does not fall on one case only.
        var best = Array(repeating: Double.infinity, count: cases.count)
        for _ in 0..<repeats {
            for (index, entry) in cases.enumerated() { best[index] = min(best[index], try await time(entry.body)) }
        }
        let baselineMean = best[0] / Double(count)
        for (index, entry) in cases.enumerated() {
            report(entry.name, count: count, seconds: best[index], baseline: entry.sequential && index > 0 ? baselineMean : nil)
        }
        transport.shutdown()
    }

    /// Sends `count` GETs with `concurrency` tasks each sending in turn.
    static func run(_ client: any HTTPClient, url: String, count: Int, concurrency: Int) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            for worker in 0..<concurrency {
                group.addTask {
                    for _ in stride(from: worker, to: count, by: concurrency) {
                        let response = try await client.send(HTTPRequest(url: url))
                        guard response.status == 200 else { throw BenchmarkError("status \(response.status)") }
                    }
                }
            }
            try await group.waitForAll()
        }
    }

    /// Seconds `body` took.
    static func time(_ body: @Sendable () async throws -> Void) async throws -> Double {
        let start = ContinuousClock.now
        try await body()
        return seconds(ContinuousClock.now - start)
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    /// One line: requests per second, mean wall time per request, and (sequential runs) the
    /// mean time above raw libcurl's.
    static func report(_ name: String, count: Int, seconds: Double, baseline: Double?) {
        let mean = seconds / Double(count) * 1e6
        let overhead = baseline.map { String(format: "%+.1f", mean - $0 * 1e6) } ?? ""
        print(name.padding(toLength: 34, withPad: " ", startingAt: 0)
              + String(format: "%11.0f %13.1f", Double(count) / seconds, mean)
              + overhead.leftPadded(to: 18))
    }
}

extension String {
    func leftPadded(to width: Int) -> String { String(repeating: " ", count: max(0, width - count)) + self }
}
