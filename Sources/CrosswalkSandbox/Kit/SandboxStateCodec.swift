import CrosswalkCore
import Foundation

/// How emulators turn their state into bytes for the state file and back: sorted JSON, dates
/// as seconds since 1970.
public enum SandboxStateCodec {
    public static func encode<State: Encodable>(_ state: State) -> Data {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .secondsSince1970
        encoder.outputFormatting = [.sortedKeys]
        return (try? encoder.encode(state)) ?? Data("{}".utf8)
    }

    /// - Throws: `CrosswalkError(.invalidArgument)` naming the app when the bytes are not its state.
    public static func decode<State: Decodable>(_ type: State.Type, from data: Data, app: String) throws -> State {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .secondsSince1970
        do { return try decoder.decode(State.self, from: data) } catch {
            throw CrosswalkError(.invalidArgument, "the saved \(app) state cannot be read: \(error)", context: ["app": app])
        }
    }
}
