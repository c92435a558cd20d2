import Foundation

/// What stops the recorder from starting or writing, each with what to do about it.
public enum RecorderError: LocalizedError, Equatable {
    case portInUse(address: String)
    case cannotListen(address: String, reason: String)
    case invalidListenAddress(String)
    case invalidUpstream(String)
    case cannotOpenCapture(path: String, reason: String)
    case cannotWriteCapture(path: String, reason: String)
    case cannotStartCommand(command: String, reason: String)
    case captureNotOpen

    public var errorDescription: String? {
        switch self {
        case .portInUse(let address):
            return "\(address) is already in use (another recorder, or the service you meant to record?). "
                + "Please stop it or choose another port with --listen 127.0.0.1:PORT."
        case .cannotListen(let address, let reason):
            return "cannot listen on \(address): \(reason). Please give --listen as HOST:PORT on an address of this machine."
        case .invalidListenAddress(let text):
            return "'\(text)' is not HOST:PORT. Please give --listen like 127.0.0.1:8042 (port 0 picks a free one)."
        case .invalidUpstream(let text):
            return "'\(text)' is not an http:// URL. Please give --upstream like http://169.254.169.254 (https is not supported: IMDS speaks plain HTTP)."
        case .cannotOpenCapture(let path, let reason):
            return "cannot open the capture \(path): \(reason). Please choose a --out path in a folder you can write."
        case .cannotWriteCapture(let path, let reason):
            return "cannot write the capture \(path): \(reason). Please free space or choose another --out path."
        case .cannotStartCommand(let command, let reason):
            return "cannot run \(command): \(reason). Please give the full path of the command after --exec --."
        case .captureNotOpen:
            return "the capture was never opened (the recorder did not start). Please look at the error before this one."
        }
    }
}
