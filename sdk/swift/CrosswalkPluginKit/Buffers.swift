import CrosswalkABI
import Foundation

/// Moving bytes across the boundary in `crosswalk_buffer_v1`.
enum Buffers {
    /// Copies the bytes out of a buffer the other side filled, then releases it.
    static func take(_ buffer: inout crosswalk_buffer_v1) -> Data {
        defer { buffer.release?(&buffer) }
        guard let p = buffer.data, buffer.len > 0 else { return Data() }
        return Data(bytes: p, count: buffer.len)
    }

    /// Fills `out` with a malloc'd copy of `data` and a release function that frees it.
    static func give(_ data: Data, to out: UnsafeMutablePointer<crosswalk_buffer_v1>?) {
        guard let out else { return }
        let size = Int(out.pointee.struct_size)
        guard size >= MemoryLayout<crosswalk_buffer_v1>.size else { return }
        let memory = malloc(max(data.count, 1))!.assumingMemoryBound(to: CChar.self)
        data.withUnsafeBytes { raw in
            if let base = raw.baseAddress { memcpy(memory, base, data.count) }
        }
        out.pointee.data = UnsafePointer(memory)
        out.pointee.len = data.count
        out.pointee.release_ctx = nil
        out.pointee.release = { buffer in
            guard let buffer else { return }
            free(UnsafeMutableRawPointer(mutating: buffer.pointee.data))
            buffer.pointee.data = nil
            buffer.pointee.len = 0
            buffer.pointee.release = nil
        }
    }
}
