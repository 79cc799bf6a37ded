/// Refusals of gateways and evidence images.
public enum IngestErrorCode: String, ErrorCode {
    public static let area = "Ingest"

    case gatewayExists = "gateway_exists"
    case imageNotFound = "image_not_found"
    case invalidImageDigest = "invalid_image_digest"
    case imageDigestMismatch = "image_digest_mismatch"
    case notAnImage = "not_an_image"
}
