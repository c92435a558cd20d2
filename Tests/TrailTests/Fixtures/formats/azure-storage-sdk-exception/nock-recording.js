nock('https://stfixture.blob.core.windows.net:443', {"encodedQueryParams":true})
  .get('/container-fixture')
  .query(true)
  .reply(403, "<?xml version=\"1.0\" encoding=\"utf-8\"?><Error><Code>AuthorizationPermissionMismatch</Code><Message>This request is not authorized to perform this operation using this permission.\nRequestId:00000000-701e-0000-0000-0000000000dc\nTime:2026-03-04T10:12:00.0000000Z</Message></Error>", [
  'Content-Length',
  '279',
  'Content-Type',
  'application/xml',
  'Server',
  'Windows-Azure-Blob/1.0 Microsoft-HTTPAPI/2.0',
  'x-ms-request-id',
  '00000000-701e-0000-0000-0000000000dc',
  'x-ms-version',
  '2019-02-02',
  'x-ms-error-code',
  'AuthorizationPermissionMismatch',
  'Date',
  'Wed, 04 Mar 2026 10:12:00 GMT'
]);
