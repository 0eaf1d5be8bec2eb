/** Vite turns an imported sound into the URL of the emitted file. */
declare module '*.wav' {
  const url: string;
  export default url;
}
