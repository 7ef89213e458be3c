// The whole assortment, in the order departments appear in the category tree.
import { baby } from './baby';
import { bakery } from './bakery';
import { beverages } from './beverages';
import { coffeeTea } from './coffee-tea';
import { condiments } from './condiments';
import { dairy } from './dairy';
import { frozen } from './frozen';
import { fruitDepartment } from './fruit';
import { household } from './household';
import { meat } from './meat';
import { pantry } from './pantry';
import { personalCare } from './personal-care';
import { riceNoodles } from './rice-noodles';
import { seafood } from './seafood';
import { snacks } from './snacks';
import type { Department } from './types';
import { vegetables } from './vegetables';

export const DEPARTMENTS: readonly Department[] = [
  dairy,
  vegetables,
  fruitDepartment,
  meat,
  seafood,
  riceNoodles,
  coffeeTea,
  snacks,
  bakery,
  condiments,
  pantry,
  beverages,
  frozen,
  household,
  personalCare,
  baby,
];

export type { Department, Leaf, ProductLine } from './types';
