// Numbers from EPCglobal "Low Level Reader Protocol (LLRP) Version 1.0.1" (and 1.1, which keeps
// them): §16.1 message types, §16.2 parameter types. Only the subset a returns bench uses.

/** Header version field: 1 = LLRP 1.0.1, 2 = LLRP 1.1. We speak 1.0.1, which every reader accepts. */
export const LLRP_VERSION = 1;
export const LLRP_PORT = 5084;
/** 3 bits reserved + 3 bits version + 10 bits type, u32 length (whole message), u32 message ID. */
export const LLRP_HEADER_BYTES = 10;

export const MessageType = {
  GET_READER_CAPABILITIES: 1,
  SET_READER_CONFIG: 3,
  CLOSE_CONNECTION_RESPONSE: 4,
  GET_READER_CAPABILITIES_RESPONSE: 11,
  SET_READER_CONFIG_RESPONSE: 13,
  CLOSE_CONNECTION: 14,
  ADD_ROSPEC: 20,
  DELETE_ROSPEC: 21,
  START_ROSPEC: 22,
  STOP_ROSPEC: 23,
  ENABLE_ROSPEC: 24,
  ADD_ROSPEC_RESPONSE: 30,
  DELETE_ROSPEC_RESPONSE: 31,
  START_ROSPEC_RESPONSE: 32,
  STOP_ROSPEC_RESPONSE: 33,
  ENABLE_ROSPEC_RESPONSE: 34,
  RO_ACCESS_REPORT: 61,
  KEEPALIVE: 62,
  READER_EVENT_NOTIFICATION: 63,
  KEEPALIVE_ACK: 72,
  ERROR_MESSAGE: 100,
  CUSTOM_MESSAGE: 1023,
} as const;
export type MessageTypeName = keyof typeof MessageType;

const messageNames = new Map<number, MessageTypeName>(Object.entries(MessageType).map(([k, v]) => [v, k as MessageTypeName]));
export function messageTypeName(type: number): string {
  return messageNames.get(type) ?? `type ${type}`;
}

/** TV-encoded parameters (1-bit flag + 7-bit type, fixed size value). */
export const TvType = {
  AntennaID: 1,
  FirstSeenTimestampUTC: 2,
  FirstSeenTimestampUptime: 3,
  LastSeenTimestampUTC: 4,
  LastSeenTimestampUptime: 5,
  PeakRSSI: 6,
  ChannelIndex: 7,
  TagSeenCount: 8,
  ROSpecID: 9,
  InventoryParameterSpecID: 10,
  C1G2_CRC: 11,
  C1G2_PC: 12,
  EPC_96: 13,
  SpecIndex: 14,
  ClientRequestOpSpecResult: 15,
  AccessSpecID: 16,
  OpSpecID: 17,
  C1G2SingulationDetails: 18,
  C1G2XPCW1: 19,
  C1G2XPCW2: 20,
} as const;

/** Value sizes of the TV parameters above; a TV type not listed cannot be skipped. */
export const TV_VALUE_BYTES: ReadonlyMap<number, number> = new Map([
  [1, 2], [2, 8], [3, 8], [4, 8], [5, 8], [6, 1], [7, 2], [8, 2], [9, 4], [10, 2],
  [11, 2], [12, 2], [13, 12], [14, 2], [15, 2], [16, 4], [17, 2], [18, 4], [19, 2], [20, 2],
]);

/** TLV-encoded parameters (6 reserved bits + 10-bit type, u16 length including the 4-byte header). */
export const TlvType = {
  UTCTimestamp: 128,
  Uptime: 129,
  GeneralDeviceCapabilities: 137,
  ROSpec: 177,
  ROBoundarySpec: 178,
  ROSpecStartTrigger: 179,
  ROSpecStopTrigger: 182,
  AISpec: 183,
  AISpecStopTrigger: 184,
  InventoryParameterSpec: 186,
  KeepaliveSpec: 220,
  ROReportSpec: 237,
  TagReportContentSelector: 238,
  TagReportData: 240,
  EPCData: 241,
  ReaderEventNotificationData: 246,
  ROSpecEvent: 249,
  ReaderExceptionEvent: 252,
  AntennaEvent: 255,
  ConnectionAttemptEvent: 256,
  ConnectionCloseEvent: 257,
  LLRPStatus: 287,
  FieldError: 288,
  ParameterError: 289,
  Custom: 1023,
} as const;

/** LLRPStatus codes (§14.2.2) we name in messages; others are shown by number. */
export const StatusCode = {
  M_Success: 0,
  M_ParameterError: 100,
  M_FieldError: 101,
  M_UnexpectedParameter: 102,
  M_MissingParameter: 103,
  M_DuplicateParameter: 104,
  M_OverflowParameter: 105,
  M_OverflowField: 106,
  M_UnknownParameter: 107,
  M_UnknownField: 108,
  M_UnsupportedMessage: 109,
  M_UnsupportedVersion: 110,
  M_UnsupportedParameter: 111,
  P_ParameterError: 200,
  A_Invalid: 400,
  R_DeviceError: 401,
} as const;

/** ConnectionAttemptEvent.Status (§13.2.6.12). */
export const ConnectionAttemptStatus = {
  Success: 0,
  FailedReaderInitiatedConnectionExists: 1,
  FailedClientInitiatedConnectionExists: 2,
  FailedOtherReason: 3,
  AnotherConnectionAttempted: 4,
} as const;
