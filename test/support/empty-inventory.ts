// What `sandbox inventory` shows of an account with nothing of ours left, Atlas's side included.
export const EMPTY_INVENTORY = {
  endpoints: [],
  endpointServices: [],
  hostedZones: [],
  atlas: { endpointServices: [], endpoints: [], dnsRecords: [] },
};
