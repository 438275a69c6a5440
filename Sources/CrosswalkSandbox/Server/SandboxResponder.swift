import CrosswalkCore
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// Serves one app on its port: control API, injected faults, request log, then the app itself.
struct SandboxResponder: HTTPResponder {
    typealias Context = BasicRequestContext

    let host: SandboxAppHost
    let control: SandboxControlAPI
    let log: RequestLog
    let maxBodyBytes: Int
    let timeoutFaultDuration: Duration

    func respond(to request: Request, context: Context) async throws -> Response {
        let started = Date()
        let clock = ContinuousClock.now
        let body: ByteBuffer
        do {
            body = try await request.body.collect(upTo: maxBodyBytes)
        } catch {
            return Self.response(host.app.refusal(.bodyTooLarge(limitBytes: maxBodyBytes)))
        }
        if let limit = host.app.maxURLBytes, request.uri.description.utf8.count > limit {
            return Self.response(host.app.refusal(.uriTooLong(limitBytes: limit)))
        }
        let incoming = Self.sandboxRequest(request, body: body, scheme: host.scheme, fallbackAuthority: host.authority)
        if incoming.path == SandboxControlAPI.prefix || incoming.path.hasPrefix(SandboxControlAPI.prefix + "/") {
            return Self.response(await control.handle(incoming))
        }

        let (decision, latency) = await host.faults.decide()
        if latency > 0, decision != .pass { try? await Task.sleep(for: .milliseconds(latency)) }
        let answer: SandboxResponse
        var fault: String?
        switch decision {
        case .pass:
            answer = latency > 0 ? await host.app.handle(incoming, delayedBy: .milliseconds(latency)) : await host.app.handle(incoming)
        case .respond(let injected):
            answer = host.app.faultResponse(injected)
            fault = injected == .serverError ? "server_error" : "rate_limited"
        case .hang:
            await host.faults.hang(limit: timeoutFaultDuration)
            answer = host.app.faultResponse(.serverError)
            fault = "timeout"
        }
        let answerDelay = await host.faults.answerDelay(path: incoming.path)
        if answerDelay > 0, decision == .pass { try? await Task.sleep(for: .milliseconds(answerDelay)) }
        let elapsed = ContinuousClock.now - clock
        let milliseconds = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
        await log.record(app: host.name, method: incoming.method, path: incoming.path, status: answer.status,
                         started: started, duration: milliseconds, fault: fault)
        return Self.response(answer)
    }

    /// Hummingbird's request as the apps see it: decoded path and query, headers in order, whole body.
    static func sandboxRequest(_ request: Request, body: ByteBuffer, scheme: String, fallbackAuthority: String?) -> SandboxRequest {
        let rawPath = request.uri.path
        let rawQuery = request.uri.query ?? ""
        var headers = CrosswalkCore.HTTPFields()
        for field in request.headers { headers.append(field.name.rawName, field.value) }
        let authority = request.head.authority ?? fallbackAuthority ?? "127.0.0.1"
        return SandboxRequest(method: request.method.rawValue.uppercased(), path: rawPath.removingPercentEncoding ?? rawPath,
                              query: SandboxRequest.parseForm(rawQuery), rawQuery: rawQuery, headers: headers,
                              body: Data(body.readableBytesView), baseURL: "\(scheme)://\(authority)")
    }

    /// An app's answer as a Hummingbird response (Hummingbird sets `Content-Length` itself).
    static func response(_ answer: SandboxResponse) -> Response {
        var headers = HTTPTypes.HTTPFields()
        for field in answer.headers where field.name.lowercased() != "content-length" {
            guard let name = HTTPField.Name(field.name) else { continue }
            headers.append(HTTPField(name: name, value: field.value))
        }
        let status = HTTPTypes.HTTPResponse.Status(code: (100...599).contains(answer.status) ? answer.status : 500)
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: answer.body)))
    }
}
