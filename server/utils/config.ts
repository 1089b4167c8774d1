// Makes the validated configuration available to handlers without an import.
export { useConfig } from '../config'
