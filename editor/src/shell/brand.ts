export const PRODUCT_NAME = 'Petroflow';
