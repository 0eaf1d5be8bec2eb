export { PhoneStatus } from './PhoneStatus.tsx';
