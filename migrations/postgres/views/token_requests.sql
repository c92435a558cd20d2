-- PostgreSQL twin of the view token_requests (migrations/0011_views_on_typed_fields.sql).
-- CAST(x AS INTEGER) is mitrail_integer(x); error_code is text already (CAST AS TEXT dropped).
-- One row per token request or token record: IMDS exchanges (mitrail captures, HAR, SDK recordings,
-- curl transcripts), saved IMDS response bodies, and Entra managed identity sign-ins (the server's side).
-- Its identity columns are the ones the request named (client_id, object_id, mi_res_id), else the
-- token's claims; requested_identity says how an IMDS request named its identity.
CREATE VIEW token_requests AS
SELECT v.record_id, v.time, v.kind, v.node, v.pool, v.status,
       CASE WHEN coalesce(v.no_answer, 0) = 1 THEN 'no-answer'
            WHEN v.kind = 'azure:entra:mi-signin' THEN
                 CASE WHEN coalesce(mitrail_integer(v.error_code), 0) <> 0
                           OR lower(v.result) = 'failure' THEN 'error' ELSE 'ok' END
            WHEN mitrail_integer(v.status) >= 400 OR v.error_code IS NOT NULL THEN 'error'
            WHEN mitrail_integer(v.status) BETWEEN 200 AND 299
                 OR v.token_fingerprint IS NOT NULL THEN 'ok'
       END AS outcome,
       lower(coalesce(v.client_id, v.token_app_id)) AS client_id,
       lower(coalesce(v.principal_id, v.token_oid)) AS principal_id,
       coalesce(v.identity_resource_id, v.token_mi_resource_id) AS identity_resource_id,
       CASE WHEN v.kind = 'azure:imds:token-request'
            THEN coalesce('mi_res_id=' || v.identity_resource_id,
                          'client_id=' || lower(v.client_id),
                          'object_id=' || lower(v.principal_id)) END AS requested_identity,
       coalesce(v.resource, v.token_audience, v.resource_display_name) AS resource,
       CASE WHEN v.kind = 'azure:entra:mi-signin' AND coalesce(mitrail_integer(v.error_code), 0) = 0 THEN NULL
            ELSE v.error_code END AS error_code,
       coalesce(v.error_message, v.failure_reason) AS error_message,
       v.metadata_header, v.duration_ms, v.token_fingerprint,
       s.path AS source, v.line
FROM record_values v JOIN sources s ON s.id = v.source_id
WHERE v.kind IN ('azure:imds:token-request', 'azure:imds:token-response', 'azure:entra:mi-signin');
