export * from './login';
export * from './password';
export * from './session';
export * from './throttle';
