// Checks for what a user types into the commands' input boxes: the core's rules
// (server/src/service/util/inputValidation.ts), which the server applies to every scaffold
// request too, so a prompt accepts exactly what the request does. Whether the result is valid
// Istio configuration is the server's business. No `vscode` import, so tests can use these directly.

export {
  validateDnsLabel,
  validateHeaderName,
  validateHeaderValue,
  validateHostName,
  validateImage,
  validateLabelValue,
  validatePercentage,
  validatePort,
  validateServiceName,
  type ValidationResult,
  type Validator,
} from '../../../server/src/service/util/inputValidation';
