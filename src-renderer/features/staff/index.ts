/** The staff feature's public face: the admins' roster page. */
export { StaffPage } from './StaffPage.tsx';
