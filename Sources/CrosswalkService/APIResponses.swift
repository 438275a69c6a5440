import Crypto
import CrosswalkCore
import Foundation
import HTTPTypes
import Hummingbird
import Logging

/// An answer of the admin API other than 2xx: an HTTP status, a stable code (the same codes as
/// ``CrosswalkError``), a message naming what to fix and, for bad input, the field.
struct APIError: Error, Sendable {
    var status: HTTPResponse.Status
    var code: String
    var message: String
    var field: String?

    init(_ status: HTTPResponse.Status, _ code: String, _ message: String, field: String? = nil) {
        self.status = status
        self.code = code
        self.message = message
        self.field = field
    }

    static func badRequest(_ message: String, field: String? = nil) -> APIError {
        APIError(.badRequest, CrosswalkError.Code.invalidArgument.rawValue, message, field: field)
    }

    /// The status of each error code a runtime call throws.
    init(_ error: CrosswalkError) {
        let status: HTTPResponse.Status = switch error.code {
        case .invalidArgument, .config: .badRequest
        case .notFound: .notFound
        case .conflict: .conflict
        case .auth: .badGateway
        case .unavailable, .rateLimited, .timeout, .transport, .pluginRefused: .serviceUnavailable
        case .cancelled: .serviceUnavailable
        default: .internalServerError
        }
        self.init(status, error.code.rawValue, error.message, field: error.context["field"])
    }
}

/// JSON in and out.
enum JSON {
    static let encoder: JSONEncoder = {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        e.dateEncodingStrategy = .custom { date, encoder in
            var c = encoder.singleValueContainer()
            try c.encode(JSON.timestamp(date))
        }
        return e
    }()

    static func timestamp(_ date: Date) -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return f.string(from: date)
    }

    /// A response with `value` as its JSON body.
    static func response(_ value: some Encodable, status: HTTPResponse.Status = .ok) throws -> Response {
        let data = try encoder.encode(value)
        return Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    static func text(_ text: String, contentType: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: contentType], body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    static func errorResponse(_ e: APIError) -> Response {
        let body = ErrorBody(error: .init(code: e.code, message: e.message, field: e.field))
        var response = (try? response(body, status: e.status)) ?? Response(status: e.status)
        if e.status == .unauthorized { response.headers[.wwwAuthenticate] = #"Bearer realm="crosswalk""# }
        return response
    }

    /// Decodes a request body, turning every decoding problem into a 400 naming the field.
    static func decode<T: Decodable>(_ type: T.Type, from request: Request, context: some RequestContext, limit: Int = 1 << 20) async throws -> T {
        let buffer: ByteBuffer
        do { buffer = try await request.body.collect(upTo: limit) } catch {
            throw APIError(.contentTooLarge, "invalid_argument", "the request body is larger than \(limit) bytes")
        }
        let data = Data(buffer.readableBytesView)
        guard !data.isEmpty else { throw APIError.badRequest("a JSON body is required") }
        do {
            _ = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
        } catch {
            throw APIError.badRequest("malformed JSON: \((error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String ?? "not JSON")")
        }
        do { return try JSONDecoder().decode(T.self, from: data) } catch let error as DecodingError {
            let (field, message) = describe(error)
            throw APIError.badRequest("\(field.isEmpty ? "body" : field): \(message)", field: field.isEmpty ? nil : field)
        }
    }

    static func describe(_ error: DecodingError) -> (String, String) {
        func path(_ keys: [any CodingKey]) -> String {
            keys.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined().trimmingCharacters(in: ["."])
        }
        switch error {
        case .keyNotFound(let key, let c):
            let p = path(c.codingPath)
            return (p.isEmpty ? key.stringValue : "\(p).\(key.stringValue)", "is required")
        case .typeMismatch(let type, let c): return (path(c.codingPath), "expected \(name(type))")
        case .valueNotFound(let type, let c): return (path(c.codingPath), "expected \(name(type)), found null")
        case .dataCorrupted(let c): return (path(c.codingPath), c.debugDescription)
        @unknown default: return ("", "\(error)")
        }
    }

    static func name(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Int.Type, is Int64.Type: "a whole number"
        case is Bool.Type: "true or false"
        default: "\(type)".contains("Array") ? "a list" : "an object"
        }
    }
}

/// Turns every error into the API's JSON error body; a path the router does not know is a 404
/// with code `no_route` (unknown flows and runs are `not_found`).
struct ErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    let logger: Logger

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let e as APIError {
            return JSON.errorResponse(e)
        } catch let e as CrosswalkError {
            if APIError(e).status == .internalServerError {
                logger.error("admin API request failed", metadata: ["path": "\(request.uri.path)", "error": "\(e.code)"])
            }
            return JSON.errorResponse(APIError(e))
        } catch let e as HTTPError {
            if e.status == .notFound {
                return JSON.errorResponse(APIError(.notFound, "no_route", "no route \(request.method) \(request.uri.path); see /api/v1/openapi.yaml"))
            }
            return JSON.errorResponse(APIError(e.status, "http", e.body ?? e.status.reasonPhrase))
        } catch {
            logger.error("admin API request failed", metadata: ["path": "\(request.uri.path)", "error": "\(type(of: error))"])
            return JSON.errorResponse(APIError(.internalServerError, "internal", "internal error"))
        }
    }
}

/// `Authorization: Bearer TOKEN` on every `/api/v1` route but the OpenAPI document; compared in
/// constant time (SHA-256 of both sides, then a byte-wise OR of the differences).
struct BearerTokenMiddleware<Context: RequestContext>: RouterMiddleware {
    let expected: [UInt8]
    let publicPaths: Set<String>
    let protectedPrefix: String

    init(token: String, publicPaths: Set<String>, protectedPrefix: String) {
        expected = Array(SHA256.hash(data: Data(token.utf8)))
        self.publicPaths = publicPaths
        self.protectedPrefix = protectedPrefix
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let path = request.uri.path
        if publicPaths.contains(path) || !(path.hasPrefix(protectedPrefix) || path == String(protectedPrefix.dropLast())) {
            return try await next(request, context)
        }
        guard let header = request.headers[.authorization], header.count > 7, header.prefix(7).lowercased() == "bearer " else {
            throw APIError(.unauthorized, "auth", "missing bearer token: send Authorization: Bearer <admin token>")
        }
        let given = SHA256.hash(data: Data(header.dropFirst(7).utf8))
        var difference: UInt8 = 0
        for (a, b) in zip(given, expected) { difference |= a ^ b }
        guard difference == 0 else { throw APIError(.unauthorized, "auth", "wrong bearer token") }
        return try await next(request, context)
    }
}
